package eventports.explore;

import java.util.List;

/**
 * The explorer's own checks, each a {@link RunCheck} over one finished run, each in its own
 * class:
 * <ul>
 * <li>{@link #DRIVER} ({@link DriverCheck}): no broken step (unchecked exception, unsupported
 *     op, runner fault), no seed crash, nothing left runnable after settling;</li>
 * <li>{@link #RESULTS} ({@link ResultCheck}): every call's outcome is one illumos allows for it,
 *     from what the driver saw when the call started (descriptor table, queue flags, allocated
 *     slots) and what happened while it ran (signals, time, alerts, a last close);</li>
 * <li>{@link #EVENTS} ({@link EventCheck}): the event ledger — returned events are exactly the
 *     trace's deliveries, a send reports what it sent, nothing delivered twice or to a process
 *     that may not see it, nothing lost, FIFO per port, and at the end sent = delivered + queued
 *     + discarded on a documented path;</li>
 * <li>{@link #LIVENESS} ({@link LivenessCheck}): after settling, no thread waits unless it may
 *     (a waiter wanting more events than its process can retrieve, a dispatcher of a full
 *     port).</li>
 * </ul>
 * Which {@link Property} a violation counts against is the check's choice; the trace validation
 * against the specification is a {@link RunCheck} too ({@link Explorer.Config#traceValidator}).
 */
public final class Checks {
    private Checks() {
    }

    public static final RunCheck DRIVER = new DriverCheck();
    public static final RunCheck RESULTS = new ResultCheck();
    public static final RunCheck EVENTS = new EventCheck();
    public static final RunCheck LIVENESS = new LivenessCheck();

    /** The built-in checks, in the order their violations are reported. */
    public static List<RunCheck> builtin() {
        return List.of(DRIVER, RESULTS, EVENTS, LIVENESS);
    }
}
