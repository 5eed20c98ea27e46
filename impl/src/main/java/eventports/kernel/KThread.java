package eventports.kernel;

import java.util.Arrays;

/**
 * What the descriptor layer knows of a thread of a process (kthread_t's t_activefd, fio.c):
 * whether it is inside a system call, which descriptors its call holds a getf reference on,
 * and whether close(2) closed one of them under it. One per thread and process, kept while
 * the thread lives and reused by each of its calls, so that a call allocates nothing here.
 * Guarded by {@link PortSystem#fileLock}.
 */
final class KThread {
    /**
     * The scheduler's handle of the thread ({@link eventports.sched.Sched#kthread}), weakly: it
     * is also the key of {@link Proc#threads}, which must not keep an ended thread alive.
     */
    private final java.lang.ref.WeakReference<Object> handle;
    /** Its name, for traces. */
    final String name;
    /** The process whose calls it makes. */
    final Proc proc;
    /** Inside a system call of the process (one of its lwps in a call). */
    boolean inCall;
    /** t_activefd.a_fd: the descriptors of its getf references (one entry per reference), nActive long. */
    int[] activeFds = new int[2];
    /** The slots those references are on, in the same order (releasef finds its slot here). */
    UfEntry[] activeSlots = new UfEntry[2];
    int nActive;
    /**
     * The file of the reference syscall entry took on descriptor {@link #entryFd} for the
     * call's getf, until that getf (Fio.syscallEntry(Proc, int)); touched only by this thread.
     */
    FileObj entryFile;
    int entryFd;
    /** Calls made inside its call (by the same thread), not yet returned; touched only by this thread. */
    int depth;
    /** The call goes on after its releasefs (Fio.callGoesOn(Proc)): no deferring a drop to syscall exit. */
    boolean goesOn;
    /** t_activefd.a_stale: closeandsetf closed a descriptor this call holds. */
    boolean aStale;

    KThread(Proc proc, Object handle, String name) {
        this.proc = proc;
        this.handle = new java.lang.ref.WeakReference<>(handle);
        this.name = name;
    }

    /** The thread's handle (alive while the thread is in a call). */
    Object handle() {
        return handle.get();
    }

    /** set_active_fd: one more reference, on slot {@code u} of descriptor {@code fd}. */
    void setActive(int fd, UfEntry u) {
        if (nActive == activeFds.length) {
            activeFds = Arrays.copyOf(activeFds, nActive * 2);
            activeSlots = Arrays.copyOf(activeSlots, nActive * 2);
        }
        activeFds[nActive] = fd;
        activeSlots[nActive++] = u;
    }

    /** clear_active_fd: drop the latest reference on {@code fd}; its slot, or null if there is none. */
    UfEntry clearActive(int fd) {
        for (int i = nActive - 1; i >= 0; i--) {
            if (activeFds[i] == fd) {
                UfEntry u = activeSlots[i];
                System.arraycopy(activeFds, i + 1, activeFds, i, nActive - i - 1);
                System.arraycopy(activeSlots, i + 1, activeSlots, i, nActive - i - 1);
                activeSlots[--nActive] = null;
                return u;
            }
        }
        return null;
    }

    /** Whether the call holds a reference on {@code fd}. */
    boolean holds(int fd) {
        for (int i = 0; i < nActive; i++) {
            if (activeFds[i] == fd) {
                return true;
            }
        }
        return false;
    }
}
