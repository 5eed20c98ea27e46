package eventports.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * What the descriptor layer knows of a thread inside a system call of a process (kthread_t's
 * t_activefd, fio.c): which descriptors its call holds a getf reference on, and whether
 * close(2) closed one of them under it. Guarded by {@link PortSystem#fileLock}.
 */
final class KThread {
    /** The scheduler's handle of the thread ({@link eventports.sched.Sched#kthread}). */
    final Object handle;
    /** Its name, for traces. */
    final String name;
    /** t_activefd.a_fd: the descriptors of its getf references (one entry per reference). */
    final List<Integer> activeFds = new ArrayList<>(2);
    /** The slots those references are on, in the same order (releasef finds its slot here). */
    final List<UfEntry> activeSlots = new ArrayList<>(2);
    /** t_activefd.a_stale: closeandsetf closed a descriptor this call holds. */
    boolean aStale;

    KThread(Object handle, String name) {
        this.handle = handle;
        this.name = name;
    }
}
