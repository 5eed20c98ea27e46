package eventports.kernel;

import eventports.sched.Sched;

/**
 * A relative timespec as passed to port_get / port_getn. {@code null} (no timeout) blocks;
 * {@code {0, 0}} polls; anything with a negative field or {@code nsec >= 1e9} is EINVAL when
 * the call would otherwise wait (seed port.c:1777-1784).
 */
public record Timeout(long sec, long nsec) {
    public static final long NANOSEC = 1_000_000_000L;
    public static final Timeout POLL = new Timeout(0, 0);

    public static Timeout ofMillis(long ms) {
        return new Timeout(ms / 1000, (ms % 1000) * 1_000_000L);
    }

    boolean zero() {
        return sec == 0 && nsec == 0;
    }

    boolean invalid() {
        return sec < 0 || nsec < 0 || nsec >= NANOSEC;
    }

    /**
     * The absolute deadline of a wait that starts at {@code now} (port.c:1283-1288, timespecadd of the
     * timeout and the current time), or {@link Sched#NO_DEADLINE} when the clock cannot represent
     * it. Called with portq_mutex held, so it must not throw: a valid timeout may be as large as
     * {@code {2^63-1 s, 999999999 ns}}.
     *
     * <p>"No deadline" is what illumos does too, by another road. The sum in timespecadd wraps;
     * cv_waituntil_sig (condvar.c) subtracts the current time with the same wrapping
     * arithmetic, which gives a positive delta again; ts2hrt of that delta overflows, so the
     * wait is clamped to one tick; and when that tick's timeout returns -1, cv_waituntil_sig
     * re-checks the delta, finds it still positive and reports a wake-up (rval 1). port_getn
     * re-checks its conditions and sleeps again (port.c:1296-1333): the call never sees ETIME and
     * ends only by an event, an alert, a signal or a close. Both profiles do this; there is
     * nothing to correct.
     */
    long deadlineFrom(long now) {
        if (sec > (Long.MAX_VALUE - nsec) / NANOSEC) {
            return Sched.NO_DEADLINE;
        }
        long rel = sec * NANOSEC + nsec;
        long deadline = now + rel;
        if (((now ^ deadline) & (rel ^ deadline)) < 0) {                  // signed overflow
            return Sched.NO_DEADLINE;
        }
        return deadline;
    }
}
