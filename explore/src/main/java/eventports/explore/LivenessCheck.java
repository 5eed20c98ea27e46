package eventports.explore;

import eventports.explore.Program.Ref;
import eventports.kernel.PortQueue;
import eventports.kernel.Ports;
import eventports.trace.TraceRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * After settling, no thread waits unless it may: a waiter wanting more events than its process
 * can retrieve, a dispatcher of a full port. A last close that never finishes is a close hang;
 * a waiter next to events it could take, or on a closing or alerted port, is stranded.
 */
final class LivenessCheck extends PerRunCheck {
    /** Every call still waiting after the first settle phase (before the drain), and why it may not wait. */
    @Override
    List<Violation> check(RunRecord r) {
        List<Violation> v = new ArrayList<>();
        EndState e = r.settled;
        if (e == null) {
            return v;
        }
        EventLedger led = null;
        boolean closeHang = false;
        List<CallLog> otherCloses = new ArrayList<>();
        List<Ref> stuckPorts = new ArrayList<>();
        for (EndState.Blocked b : e.blocked()) {
            if (b.runnable() || !b.state().equals("BLOCKED")) {
                continue; // DRIVER reports it
            }
            CallLog c = b.call();
            Program.Call call = c.call;
            String who = c.actor + "[" + c.index + "] " + call + " (" + c.proc + ")";
            if (call instanceof Program.Close || call instanceof Program.Exit) {
                if (startedLastClose(r, c)) {
                    closeHang = true;
                    v.add(new Violation(r.runId, Property.CLOSE_HANG, e.step(), null, who
                            + " is a last close that never finishes"));
                } else {
                    otherCloses.add(c);
                }
                continue;
            }
            if (call instanceof Program.Dispatch) {
                Ref p = ((Program.Dispatch) call).port();
                Integer curr = e.obs().curr().get(p);
                if (curr != null && curr < r.program.maxEvents()) {
                    v.add(new Violation(r.runId, Property.STUCK, e.step(), null, who + " waits for a slot though"
                            + " port_curr is " + curr + " < " + r.program.maxEvents()));
                }
                continue;
            }
            Ref port = call.refs().isEmpty() ? null : call.refs().get(0);
            PortQueue.Snapshot s = port == null ? null : e.obs().snap(port);
            if (s == null) {
                continue;
            }
            if (call instanceof Program.Getn && ((Program.Getn) call).max() == 0) {
                if ((s.flags() & Ports.PORTQ_BLOCKED) == 0 && !stuckPorts.contains(port)) {
                    stuckPorts.add(port);
                    v.add(new Violation(r.runId, Property.STUCK, e.step(), null, who
                            + " waits for PORTQ_BLOCKED, which nobody holds"));
                }
                continue;
            }
            if (s.getn() > 0) {
                if (!stuckPorts.contains(port)) {
                    stuckPorts.add(port);
                    v.add(new Violation(r.runId, Property.STUCK, e.step(), null, "port " + port + ": portq_getn "
                            + s.getn() + " with nobody in delivery (" + who + " waits)"));
                }
                continue;
            }
            if ((s.flags() & Ports.PORTQ_CLOSE) != 0) {
                v.add(new Violation(r.runId, Property.STRANDED_WAITER, e.step(), null, who
                        + " still waits on a closing port"));
                continue;
            }
            if ((s.flags() & Ports.PORTQ_ALERT) != 0) {
                v.add(new Violation(r.runId, Property.STRANDED_WAITER, e.step(), null, who
                        + " waits although the port is in alert mode"));
                continue;
            }
            int want = call instanceof Program.Getn ? ((Program.Getn) call).nget() : 1;
            if (led == null) {
                led = new EventLedger(r);
            }
            Integer pid = r.pids.get(c.proc);
            int can = pid == null ? 0 : led.deliverableAfter(port, e.step(), pid);
            if (Integer.compareUnsigned(can, want) >= 0) {
                v.add(new Violation(r.runId, Property.STRANDED_WAITER, e.step(), null, who + " waits for " + want
                        + " event(s) while " + can + " it could retrieve sit in the queue ("
                        + led.queuedAfter(port, e.step()) + ") and nobody retrieves"));
            }
        }
        if (!closeHang) {
            for (CallLog c : otherCloses) {
                v.add(new Violation(r.runId, Property.STUCK, e.step(), null, c.actor + "[" + c.index + "] "
                        + c.call + " (" + c.proc + ") never finishes a close that is not the last"));
            }
        }
        return v;
    }

    private static boolean startedLastClose(RunRecord r, CallLog c) {
        int from = r.step(c.startStep).traceFrom();
        for (int i = from; i < r.trace.size(); i++) {
            TraceRecord t = r.trace.get(i);
            if (t.thread().equals(c.simThread) && t.action().equals("port_close")
                    && (Boolean.TRUE.equals(t.get("lastclose")) || Objects.equals(t.get("lastclose"), 1))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String name() {
        return "liveness";
    }
}
