package eventports.kernel;

import eventports.sched.KCondVar;
import eventports.sched.Sched;

/**
 * port_t: one event port. {@code portCurr} counts allocated event slots against
 * {@code portMaxEvents} (the creator's process.max-port-events at port_create, port.c:758-759);
 * both are guarded by the queue's portq_mutex. A port's descriptor is pollable (port.c:265
 * "port VOP_POLL interface", port_vnops.c port_poll): {@code portPollhd} is port_pollhd, on which
 * the FD associations of other ports that watch this one (nested ports) wait.
 */
public final class Port implements Pollable {
    /** System-wide number of this port, for traces (not a descriptor). */
    public final int id;
    public final PortSystem sys;
    final int portMaxEvents;
    int portCurr;
    final int portMaxList;
    final int portPid;
    int portFd;
    /** port_cv: port_alloc_event_block sleeps here for a free slot. */
    final KCondVar portCv;
    final PortQueue portQueue;
    /** port_pollhd: pollers of this port's descriptor (port_vnops.c port_poll). */
    final PollHead portPollhd;
    /**
     * Free USER slots kept for the next port_send, as illumos keeps freed port_kevent_t in its
     * kmem cache (port_control.pc_cache): a port that moves events allocates no slot in steady
     * state. A singly linked list through {@link Kevent#next}, at most {@link #KEV_CACHE_MAX}
     * long, guarded by portq_mutex. Only USER slots come back here: no event source holds a
     * reference to one once it has been freed (sources keep theirs, see PortSubr.portFreeEventLocal).
     */
    private Kevent kevCache;
    private int kevCached;
    static final int KEV_CACHE_MAX = 1024;

    Port(PortSystem sys, int id, int maxEvents, int maxList, int pid) {
        Sched sched = sys.sched;
        this.sys = sys;
        this.id = id;
        this.portMaxEvents = maxEvents;
        this.portMaxList = maxList;
        this.portPid = pid;
        this.portCv = sched.newCondVar("port_cv#" + id);
        this.portQueue = new PortQueue(sched, id);
        this.portPollhd = new PollHead(sched, "port#" + id);
    }

    /** VOP_POLL of the port's vnode: port_vnops.c port_poll. */
    @Override
    public int vopPoll(Proc cur, int events) {
        return PortVnops.portPoll(cur, this, events);
    }

    @Override
    public PollHead pollhead() {
        return portPollhd;
    }

    /** A slot from the cache, or a new one. portq_mutex held. */
    Kevent kevCacheAlloc() {
        Kevent k = kevCache;
        if (k == null) {
            return new Kevent(0);
        }
        kevCache = k.next;
        k.next = null;
        kevCached--;
        return k;
    }

    /** Give a freed USER slot back to the cache (dropped when the cache is full). portq_mutex held. */
    void kevCacheFree(Kevent k) {
        if (kevCached < KEV_CACHE_MAX) {
            k.next = kevCache;
            kevCache = k;
            kevCached++;
        }
    }

    public PortQueue queue() {
        return portQueue;
    }

    /** Allocated slots (port_curr), read under the mutex. */
    public int curr() {
        portQueue.portqMutex.enter();
        try {
            return portCurr;
        } finally {
            portQueue.portqMutex.exit();
        }
    }
}
