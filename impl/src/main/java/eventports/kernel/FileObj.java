package eventports.kernel;

import eventports.sched.KMutex;

/**
 * file_t: an open-file object. Descriptor slots of one or more processes point at it; fork,
 * dup, dup2 and descriptor passing add references ({@code fCount}; illumos guards f_count
 * with f_tlock, here the descriptor tables' lock does). close(2) passes the count before its own
 * decrement to the vnode's close (closef → VOP_CLOSE), which is how port_close tells a
 * per-process close (count > 1) from the last close (port_vnops.c port_close).
 */
public final class FileObj {
    /** The vnode: a {@link Port}, or a {@link PollObject} made by fd_open. */
    final Object vnode;
    /** Guarded by the descriptor layer's lock ({@link PortSystem#fileLock}). */
    int fCount = 1;
    /**
     * f_tlock: closef holds it across VOP_CLOSE (fio.c), so the closes of one open file are
     * serialized, including a last close that sleeps in port_close.
     */
    final KMutex fTlock;

    FileObj(Object vnode, KMutex fTlock) {
        this.vnode = vnode;
        this.fTlock = fTlock;
    }

    public Object vnode() {
        return vnode;
    }
}
