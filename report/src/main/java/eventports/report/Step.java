package eventports.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One action of an interleaving: {@code thread} (or "env") of process {@code pid} performs
 * {@code action} (the spec/Java name, e.g. port_getn) on lifeline {@code port}; {@code detail}
 * is a short note ("nget 2 wait"). {@code wakes} are the threads the action signals (drawn as
 * port-to-thread arrows). {@code fromPort} draws the main arrow from the port to the thread:
 * the thread comes back from a sleep inside the port (cv_waituntil_sig). {@code sleeps}: after
 * this step the thread sleeps in the port until its next step (drawn as a bar on its
 * lifeline). {@code highlight} marks the step where the failure shows. {@code state} is the
 * port after the step (null: unknown).
 */
public record Step(String thread, int pid, String action, String detail, String port,
                   List<String> wakes, boolean fromPort, boolean sleeps, boolean highlight, PortState state) {

    /** The lifeline name of the port when an interleaving has only one. */
    public static final String PORT = "port";

    public Step {
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(action, "action");
        detail = detail == null ? "" : detail;
        port = port == null || port.isEmpty() ? PORT : port;
        wakes = wakes == null ? List.of() : List.copyOf(wakes);
    }

    public static Step of(String thread, int pid, String action, String detail, PortState state) {
        return new Step(thread, pid, action, detail, PORT, List.of(), false, false, false, state);
    }

    /** The same step, also waking {@code thread}. */
    public Step waking(String thread) {
        List<String> w = new ArrayList<>(wakes);
        w.add(thread);
        return new Step(this.thread, pid, action, detail, port, w, fromPort, sleeps, highlight, state);
    }

    /** The same step, drawn port → thread: the thread returns from a sleep in the port. */
    public Step returning() {
        return new Step(thread, pid, action, detail, port, wakes, true, sleeps, highlight, state);
    }

    /** The same step, after which the thread sleeps until its next step. */
    public Step sleeping() {
        return new Step(thread, pid, action, detail, port, wakes, fromPort, true, highlight, state);
    }

    public Step highlighted() {
        return new Step(thread, pid, action, detail, port, wakes, fromPort, sleeps, true, state);
    }

    public Step on(String portName) {
        return new Step(thread, pid, action, detail, portName, wakes, fromPort, sleeps, highlight, state);
    }
}
