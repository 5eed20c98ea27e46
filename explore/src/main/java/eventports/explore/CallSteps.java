package eventports.explore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.conformance.ScenarioWriter;
import eventports.conformance.ScenarioWriter.Timespec;
import eventports.explore.Program.Ref;

/** A program's call as the scenario step that makes it (written by {@link ScenarioWriter}). */
final class CallSteps {
    private CallSteps() {
    }

    /**
     * The step for call {@code c} of thread {@code thread} in process {@code proc}: what it sends
     * carries {@code user} (an alert {@code "alert:" + user}); {@code pause} stops a retrieval at
     * the start of its delivery loop.
     */
    static ObjectNode of(Program.Call c, String thread, String proc, String user, boolean pause) {
        if (c instanceof Program.Exit) {
            return ScenarioWriter.exit(proc);
        }
        if (c instanceof Program.Send x) {
            return ScenarioWriter.portSend(thread, proc, x.port().json(), x.events(), user);
        }
        if (c instanceof Program.Sendn x) {
            return ScenarioWriter.portSendn(thread, proc, x.ports().stream().map(Ref::json).toList(), x.events(), user);
        }
        if (c instanceof Program.Dispatch x) {
            return ScenarioWriter.portDispatch(thread, proc, x.port().json(), x.source(), x.events(), 1000 + x.source(),
                    user, x.noshare());
        }
        if (c instanceof Program.Alert x) {
            return ScenarioWriter.portAlert(thread, proc, x.port().json(), x.flags(), x.events(), "alert:" + user);
        }
        if (c instanceof Program.Get x) {
            return ScenarioWriter.portGet(thread, proc, x.port().json(), timespec(x.timeout()), pause);
        }
        if (c instanceof Program.Getn x) {
            return ScenarioWriter.portGetn(thread, proc, x.port().json(), x.max(), x.nget(), timespec(x.timeout()),
                    pause);
        }
        if (c instanceof Program.Associate x) {
            return ScenarioWriter.portAssociate(thread, proc, x.port().json(), x.source(), 0, 1, user);
        }
        if (c instanceof Program.Dissociate x) {
            return ScenarioWriter.portDissociate(thread, proc, x.port().json(), x.source(), 0);
        }
        if (c instanceof Program.Close x) {
            return ScenarioWriter.close(thread, proc, x.fd().json());
        }
        throw new IllegalArgumentException("call " + c);
    }

    private static Timespec timespec(Program.To t) {
        return t.isNull() ? null : new Timespec(t.sec, t.nsec);
    }
}
