package eventports.sched;

/**
 * The one seam for concurrency. Every lock, condition variable and clock reading of the
 * core goes through this interface, so the same kernel code runs on real JVM threads
 * ({@link RealSched}) and under a deterministic driver ({@link DetSched}) that runs one
 * simulated thread at a time and decides who runs next.
 *
 * <p>The vocabulary is illumos': a {@link KMutex} is a kmutex_t, a {@link KCondVar} a
 * kcondvar_t with cv_signal / cv_broadcast / cv_wait / cv_waituntil_sig.
 */
public interface Sched {
    /** No deadline: wait until woken (cv_waituntil_sig with a NULL timespec). */
    long NO_DEADLINE = Long.MAX_VALUE;

    KMutex newMutex(String name);

    KCondVar newCondVar(String name);

    /** The clock deadlines are measured against (gethrestime in the seed), in nanoseconds. */
    long nowNanos();

    /** Name of the calling thread, as traces and waiter records show it. */
    String currentThreadName();

    /**
     * A named place where the deterministic runtime may stop the calling thread (for example
     * "delivery": the start of the unlocked delivery phase, seed port.c:1380). No effect on real
     * threads. Must be called with no kernel mutex held.
     */
    void pausePoint(String name);

    /**
     * The calling thread as the kernel names it (kthread_t *): an opaque handle, for
     * {@link #mustReturn} by another thread.
     */
    Object kthread();

    /**
     * MUSTRETURN (proc.h) for {@code kthread} from now until its call ends or it calls
     * {@link #clearMustReturn}: an interruptible sleep it is in ends now (setrun: fio.c
     * closeandsetf for a stale descriptor, proc.c exitlwps for an exiting process), and every
     * later {@link KCondVar#waitUntilSig} of it returns {@link KCondVar#SIGNALLED} at once, as
     * condvar.c does when MUSTRETURN holds. Its non-interruptible waits are not affected.
     * Applies to each of {@code kthreads}; {@code record} (if not null) runs first, atomically
     * with the marking as any {@link KCondVar#waitUntilSig}'s decision sees it, so a trace
     * orders the close that marks before every wait outcome the mark decides, and after every
     * outcome decided without it.
     */
    void mustReturn(java.util.Collection<?> kthreads, Runnable record);

    /** The calling thread's call is over (post_syscall's clear_stale_fd): MUSTRETURN no longer applies. */
    void clearMustReturn();

    /**
     * mutex_exit every kernel mutex the calling thread still holds, and name them. Only for a
     * call that died inside a critical section (an unchecked exception where illumos would
     * panic): the port stays usable instead of wedging every later caller.
     */
    java.util.List<String> releaseHeld();
}
