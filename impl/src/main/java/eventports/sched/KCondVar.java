package eventports.sched;

/**
 * kcondvar_t. The return values of {@link #waitUntilSig} are cv_waituntil_sig's
 * (condvar.c): {@code > 0} woken (cv_signal or spurious), {@code 0} a signal is pending
 * (EINTR), {@code -1} the deadline passed (ETIME). Where several apply the precedence is
 * signal, then timeout, then wake-up.
 */
public interface KCondVar {
    int WOKEN = 1;
    int SIGNALLED = 0;
    int TIMED_OUT = -1;

    /**
     * cv_signal: wake one waiter, if any. Called with the associated mutex held. Returns the tag
     * the woken thread slept with ({@link #await(KMutex, Object)}), or null (none slept, or it gave
     * none): a trace can then say whom a cv_signal woke, which the spec leaves to its scheduler.
     */
    Object signal();

    /** cv_broadcast: wake every waiter. */
    void broadcast();

    /** cv_wait: sleep until woken; not interruptible. Releases and re-takes {@code m}. */
    default void await(KMutex m) {
        await(m, null);
    }

    /** As {@link #await(KMutex)}; the {@link #signal} that wakes this sleeper returns {@code tag}. */
    void await(KMutex m, Object tag);

    /**
     * cv_waituntil_sig: sleep until woken, a signal arrives or the absolute deadline
     * ({@link Sched#nowNanos()} scale; {@link Sched#NO_DEADLINE} for none) passes.
     */
    default int waitUntilSig(KMutex m, long deadlineNanos) {
        return waitUntilSig(m, deadlineNanos, null);
    }

    /**
     * As {@link #waitUntilSig(KMutex, long)}, and {@code decided} (if not null) is given the
     * outcome at the instant condvar.c decides it, back under {@code m}: atomically with
     * MUSTRETURN's test, so that nothing {@link Sched#mustReturn} records can fall between the
     * test and what {@code decided} records (a trace would show a stale call waking normally).
     */
    int waitUntilSig(KMutex m, long deadlineNanos, java.util.function.IntConsumer decided);
}
