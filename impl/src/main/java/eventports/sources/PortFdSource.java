package eventports.sources;

import eventports.kernel.Errno;
import eventports.kernel.FileObj;
import eventports.kernel.Fix;
import eventports.kernel.Kevent;
import eventports.kernel.PollEvents;
import eventports.kernel.PollHead;
import eventports.kernel.Pollable;
import eventports.kernel.Port;
import eventports.kernel.PortException;
import eventports.kernel.PortFdLink;
import eventports.kernel.PortSubr;
import eventports.kernel.PortSystem;
import eventports.kernel.Ports;
import eventports.kernel.Proc;
import eventports.sched.KMutex;
import eventports.trace.Action;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/*
 * PORT_SOURCE_FD (illumos port_fd.c).
 *
 * Every port that ever had an FD association owns a cache (port_fdcache_t, the port's
 * portq_pcp) of associations keyed by (descriptor number, open file). An association
 * (portfd_t + polldat_t, here PortFd) holds one PORT_ALLOC_CACHED event slot for its whole
 * lifetime, armed or not, queued or not; its owner is the process that made it, and it is
 * recorded on that process's descriptor (uf_portfd) so that closing the descriptor
 * dissociates it (close(2) → port_close_pfd).
 *
 * Arming: port_associate sets PORT_KEV_VALID and then polls the object (VOP_POLL); if it is
 * ready the event is queued at once with the ready bits & (mask | POLLHUP | POLLERR).
 * Otherwise the object's pollhead fires it later (pollwakeup → pollnotify). Firing clears
 * VALID: one event per arming. Re-association clears VALID, takes a fired-but-undelivered
 * event back out of the queue and replaces the user cookie; the owner stays.
 *
 * Delivery (port_fd_callback, in the retriever's process): the owner always; another process
 * only if the same descriptor number refers to the same open file in it (after fork),
 * otherwise EACCES and the event stays queued.
 *
 * Locks, in order (the whole order: eventports.kernel's package note): pc_lock (per cache) →
 * pollhead lock → portkev_lock (per association) → portq_mutex. pc_lock is held across port_block in port_remove_done_event, as in illumos, so
 * it is a SleepLock: a thread that wants it while its holder sleeps sleeps too.
 * VOP_POLL here never drops pc_lock, so the 2009 association/dissociation race paths of
 * port_associate_fd (lookup again after VOP_POLL) cannot be taken and are not coded.
 *
 * A descriptor may be a port (nested ports): VOP_POLL is port_vnops.c port_poll, and the inner
 * port's pollwakeups (port_send_event, the end of a retrieval, a freed slot) fire the
 * association. An FD event queued by pollwakeup then notifies this port's own pollers through
 * port_pollwkup / port_pollwkdone (PollHead); one queued by port_associate_fd's own VOP_POLL
 * does not (port_send_event leaves FD events to pollwakeup): FINDINGS.md F13, fix AssocPollwkup.
 * Locks across nesting: this port's pc_lock is held across the inner port's port_poll
 * (its portq_mutex) and pollhead lock; the inner port's pollhead lock across this port's
 * portkev_lock and portq_mutex.
 */

/** PORT_SOURCE_FD: port_associate_fd, port_dissociate_fd and their callbacks (port_fd.c). */
public final class PortFdSource {
    private PortFdSource() {
    }

    /** Per-system state: each port's cache (portq_pcp), made at the port's first FD association. */
    static final class State {
        final Map<Port, PortFdCache> caches = new ConcurrentHashMap<>();
    }

    private static State state(PortSystem sys) {
        return sys.sourceState(State.class, s -> new State());
    }

    /** The (fd number, open file) key: the open file compares by identity. */
    private record FdKey(int fd, FileObj fp) {
    }

    /** port_fdcache_t: the associations of one port. */
    static final class PortFdCache {
        final Port pp;
        final SleepLock pcLock;
        /** pc_hash; guarded by pcLock. */
        final Map<FdKey, PortFd> pcHash = new LinkedHashMap<>();

        PortFdCache(Port pp) {
            this.pp = pp;
            this.pcLock = new SleepLock(pp.sys.sched, "pc_lock#" + pp.id);
        }

        /** port_cache_lookup_fp. */
        PortFd lookup(int fd, FileObj fp) {
            return pcHash.get(new FdKey(fd, fp));
        }
    }

    /** portfd_t / polldat_t: one association. */
    static final class PortFd implements PollHead.Polldat, PortFdLink {
        final PortFdCache pcp;
        final int pdFd;
        final FileObj pdFp;
        final Pollable vnode;
        /** The process on whose descriptor the association is recorded (the first associator). */
        final Proc owner;
        /** pd_portev: the CACHED slot. */
        final Kevent pdPortev;
        /** portkev_lock: guards VALID and the fired events of the slot. */
        final KMutex portkevLock;
        /** pd_events: the interest mask. */
        volatile int pdEvents;
        /** Still in the cache (guarded by pc_lock): removal paths race, only the first one acts. */
        boolean cached = true;

        PortFd(PortFdCache pcp, int fd, FileObj fp, Proc owner, Kevent slot) {
            this.pcp = pcp;
            this.pdFd = fd;
            this.pdFp = fp;
            this.vnode = (Pollable) fp.vnode();
            this.owner = owner;
            this.pdPortev = slot;
            this.portkevLock = pcp.pp.sys.sched.newMutex("portkev_lock#" + slot.id);
        }

        @Override
        public int pdEvents() {
            return pdEvents;
        }

        @Override
        public boolean pdArmed() {
            return (pdPortev.portkevFlags & Ports.PORT_KEV_VALID) != 0;
        }

        /**
         * The port branch of pollwakeup (poll.c): if armed, disarm and queue one event with
         * the matching bits; POLLHUP and POLLERR always count. Then port_pollwkup: if this
         * port is polled itself, pollwakeup goes on with its pollhead (returned).
         */
        @Override
        public Port pollnotify(int events) {
            Kevent pkevp = pdPortev;
            Port pp = pcp.pp;
            portkevLock.enter();
            try {
                if ((pkevp.portkevFlags & Ports.PORT_KEV_VALID) == 0) {
                    return null;
                }
                pkevp.clearFlags(Ports.PORT_KEV_VALID);
                pkevp.portkevEvents |= events & (pdEvents | PollEvents.POLLHUP | PollEvents.POLLERR);
                if (pp.sys.tracer != null) {
                    PortSubr.trace(pp, Action.POLLWAKEUP, pkevp.portkevPid, "fd", pdFd, "kev", pkevp.id,
                            "events", pkevp.portkevEvents);
                }
                PortSubr.portSendEvent(pkevp);
            } finally {
                portkevLock.exit();
            }
            return PortSubr.portPollwkup(pp, pkevp) != 0 ? pp : null;
        }

        /** port_close_pfd (port_subr.c): the owner closes the descriptor. */
        @Override
        public void portClosePfd(Proc cur) {
            Port pp = pcp.pp;
            pcp.pcLock.enter();
            try {
                if (pp.sys.tracer != null) {
                    PortSubr.trace(pp, Action.PORT_CLOSE_PFD, cur.pid, "fd", pdFd, "kev", pdPortev.id, "cached", cached);
                }
                if (cached) {
                    portRemoveFdObject(this);
                }
            } finally {
                pcp.pcLock.exit();
            }
        }
    }

    /**
     * port_associate_fd (port_fd.c): associate descriptor {@code object} of {@code cur} with
     * {@code pp}, or re-arm an existing association. Returns 0 or an errno value.
     */
    public static int portAssociateFd(Proc cur, Port pp, int source, long object, int events, Object user) {
        if (object < 0 || object > Integer.MAX_VALUE) {
            return Errno.EBADFD.code;
        }
        int fd = (int) object;
        FileObj fp = cur.file(fd);
        if (fp == null) {
            return Errno.EBADFD.code;
        }
        if (!(fp.vnode() instanceof Pollable)) {
            return Errno.ENOTSUP.code;                  // a vnode without VOP_POLL
        }
        PortFdCache pcp = state(pp.sys).caches.computeIfAbsent(pp, k -> {
            // first FD association of this port: the source gets close callbacks from now on
            PortFdCache c = new PortFdCache(pp);
            PortSubr.portAssociateKsource(pp, Ports.PORT_SOURCE_FD, PortFdSource::portCloseSourcefd, c);
            return c;
        });
        pcp.pcLock.enter();
        try {
            PortFd pfd = pcp.lookup(fd, fp);
            Kevent pkevp;
            boolean reassoc = pfd != null;
            if (pfd == null) {
                try {
                    pkevp = PortSubr.portAllocEventLocal(cur, pp, source, Ports.PORT_ALLOC_CACHED);
                } catch (PortException e) {
                    return e.errno().code;
                }
                pfd = new PortFd(pcp, fd, fp, cur, pkevp);
                PortSubr.portInitEvent(pkevp, fd, user, PortFdSource::portFdCallback, pfd);
                pcp.pcHash.put(new FdKey(fd, fp), pfd);
                if (!cur.addfdPort(fd, fp, pfd)) {
                    // the descriptor was closed meanwhile: its close would have dissociated us
                    portRemoveFdObject(pfd);
                    return Errno.EBADFD.code;
                }
                pfd.vnode.pollhead().polldatAssociate(pfd);
            } else {
                pkevp = pfd.pdPortev;
                boolean queued;
                pfd.portkevLock.enter();
                pkevp.clearFlags(Ports.PORT_KEV_VALID);
                queued = (pkevp.portkevFlags & Ports.PORT_KEV_DONEQ) != 0;
                pfd.portkevLock.exit();
                if (queued) {
                    // an event fired for the old association and is still queued: it goes
                    PortSubr.portRemoveDoneEvent(pkevp);
                }
                pkevp.portkevUser = user;
            }
            pfd.portkevLock.enter();
            pkevp.portkevEvents = 0;
            pfd.pdEvents = events;
            pkevp.setFlags(Ports.PORT_KEV_VALID);
            if (pp.sys.tracer != null) {
                // the arming step: a pollwakeup may fire the association from here on, before
                // this call's own VOP_POLL, so the record is taken where VALID is set
                PortSubr.trace(pp, Action.PORT_ASSOCIATE_FD, cur.pid, "fd", fd, "events", events, "kev", pkevp.id,
                        "reassoc", reassoc, "owner", pkevp.portkevPid, "poll", false);
            }
            pfd.portkevLock.exit();

            int revents = pfd.vnode.vopPoll(cur, events);

            boolean pollers;
            pfd.portkevLock.enter();
            try {
                boolean fired = false;
                if (revents != 0 && (pkevp.portkevFlags & Ports.PORT_KEV_VALID) != 0) {
                    pkevp.clearFlags(Ports.PORT_KEV_VALID);
                    pkevp.portkevEvents = revents & (pfd.pdEvents | PollEvents.POLLHUP | PollEvents.POLLERR);
                    fired = true;
                }
                if (fired) {
                    if (pp.sys.tracer != null) {
                        // VOP_POLL found the object ready and the association was still armed:
                        // the same step as a pollwakeup (spec action pollwakeup, via associate)
                        PortSubr.trace(pp, Action.PORT_ASSOCIATE_FD, cur.pid, "fd", fd, "kev", pkevp.id,
                                "owner", pkevp.portkevPid, "poll", true, "fired", pkevp.portkevEvents);
                    }
                    PortSubr.portSendEvent(pkevp);
                }
                pollers = fired && pp.sys.profile.fixes(Fix.ASSOC_POLLWKUP);
            } finally {
                pfd.portkevLock.exit();
            }
            // port_send_event leaves an FD event's pollers to pollwakeup, which did not run
            // here: the port's own pollers are not told (FINDINGS.md F13) unless fixed
            if (pollers && PortSubr.portPollwkup(pp, pkevp) != 0) {
                PollHead.pollwakeupPort(pp);
            }
            return 0;
        } finally {
            pcp.pcLock.exit();
        }
    }

    /**
     * port_dissociate_fd (F, 2009+): the checks in illumos' order — fd > INT_MAX EBADFD; no FD
     * cache ENOENT; fd not open EBADFD; not associated ENOENT; not the owner EACCES — then
     * remove the association and any queued event: 0 if it was armed or had an undelivered
     * event, else ENOENT.
     */
    public static int portDissociateFd(Proc cur, Port pp, long object) {
        if (object < 0 || object > Integer.MAX_VALUE) {
            return Errno.EBADFD.code;
        }
        int fd = (int) object;
        State st = pp.sys.sourceStateIfAny(State.class);
        PortFdCache pcp = st == null ? null : st.caches.get(pp);
        if (pcp == null) {
            return Errno.ENOENT.code;
        }
        pcp.pcLock.enter();
        try {
            FileObj fp = cur.file(fd);
            if (fp == null) {
                return Errno.EBADFD.code;
            }
            PortFd pfd = pcp.lookup(fd, fp);
            if (pfd == null) {
                return Errno.ENOENT.code;
            }
            Kevent pkevp = pfd.pdPortev;
            if (cur.pid != pkevp.portkevPid) {
                return Errno.EACCES.code;
            }
            pfd.owner.delfdPort(fd, pfd);
            boolean active;
            pfd.portkevLock.enter();
            active = (pkevp.portkevFlags & Ports.PORT_KEV_VALID) != 0;
            pkevp.clearFlags(Ports.PORT_KEV_VALID);
            pfd.portkevLock.exit();
            if (portRemoveFdObject(pfd)) {
                active = true;                  // fired but not yet retrieved: still active
            }
            if (pp.sys.tracer != null) {
                PortSubr.trace(pp, Action.PORT_DISSOCIATE_FD, cur.pid, "fd", fd, "kev", pkevp.id, "active", active);
            }
            return active ? 0 : Errno.ENOENT.code;
        } finally {
            pcp.pcLock.exit();
        }
    }

    /**
     * port_fd_callback (port_fd.c). DEFAULT: deliver to the owner, or to another process in which the
     * same descriptor number refers to the same open file; else EACCES (denied). CLOSE (the
     * port's last close found the event queued): drop the association; the slot is freed by
     * port_close_events.
     */
    static int portFdCallback(Object arg, int[] events, int pid, int flag, Kevent kev, Proc curproc) {
        PortFd pfd = (PortFd) arg;
        switch (flag) {
            case Ports.PORT_CALLBACK_DEFAULT:
                if (curproc.pid != pid) {
                    FileObj fp = curproc.file(pfd.pdFd);
                    if (fp == null || fp != pfd.pdFp) {
                        Port pp = pfd.pcp.pp;
                        if (pp.sys.tracer != null) {
                            PortSubr.trace(pp, Action.PORT_FD_CALLBACK, curproc.pid, "fd", pfd.pdFd, "kev", kev.id,
                                    "owner", pid, "error", Errno.EACCES.name());
                        }
                        return Errno.EACCES.code;
                    }
                }
                events[0] = pfd.pdPortev.portkevEvents;
                return 0;
            case Ports.PORT_CALLBACK_CLOSE:
                pfd.pcp.pcLock.enter();
                try {
                    if (pfd.cached) {
                        pfd.vnode.pollhead().pollheadDelete(pfd);
                        pfd.owner.delfdPort(pfd.pdFd, pfd);
                        portPcacheRemoveFd(pfd);
                    }
                } finally {
                    pfd.pcp.pcLock.exit();
                }
                return 0;
            case Ports.PORT_CALLBACK_DISSOCIATE:
                return 0;
            default:
                return Errno.EINVAL.code;
        }
    }

    /**
     * port_remove_fd_object (port_subr.c): take the association off the pollhead, its event out of
     * the queue (1 if it was queued), release its slot and drop it from the cache. pc_lock held.
     */
    static boolean portRemoveFdObject(PortFd pfd) {
        Kevent pkevp = pfd.pdPortev;
        Port pp = pfd.pcp.pp;
        pfd.vnode.pollhead().pollheadDelete(pfd);      // no pollwakeup reaches it after this
        int removed = PortSubr.portRemoveDoneEvent(pkevp);
        int owner = pkevp.portkevPid;
        if (pkevp.portkevCallback != null) {
            pkevp.portkevCallback.callback(pkevp.portkevArg, new int[1], owner, Ports.PORT_CALLBACK_DISSOCIATE,
                    pkevp, pfd.owner);
        }
        if (pp.sys.tracer != null) {
            PortSubr.trace(pp, Action.PORT_REMOVE_FD_OBJECT, owner, "fd", pfd.pdFd, "kev", pkevp.id, "removed", removed);
        }
        PortSubr.portFreeEventLocal(pkevp, 0);
        portPcacheRemoveFd(pfd);
        return removed == 1;
    }

    /** port_pcache_remove_fd (port_subr.c): drop the association from its cache. pc_lock held. */
    private static void portPcacheRemoveFd(PortFd pfd) {
        pfd.pcp.pcHash.remove(new FdKey(pfd.pdFd, pfd.pdFp));
        pfd.cached = false;
    }

    /**
     * port_close_sourcefd (port_fd.c): the port is closed by {@code pid}. Every association owned by
     * {@code pid} goes, with its queued event. At the last close illumos then waits until the
     * cache is empty (associations whose descriptor another thread is closing); here removal
     * is idempotent, so the last close simply removes whatever is left and drops the cache.
     */
    static void portCloseSourcefd(Object arg, int portFd, int pid, int lastclose) {
        PortFdCache pcp = (PortFdCache) arg;
        Port pp = pcp.pp;
        pcp.pcLock.enter();
        try {
            List<PortFd> all = new ArrayList<>(pcp.pcHash.values());
            int removed = 0;
            for (PortFd pfd : all) {
                if (pfd.cached && (pfd.pdPortev.portkevPid == pid || lastclose == 1)) {
                    pfd.owner.delfdPort(pfd.pdFd, pfd);
                    portRemoveFdObject(pfd);
                    removed++;
                }
            }
            if (pp.sys.tracer != null) {
                PortSubr.trace(pp, Action.PORT_CLOSE_SOURCEFD, pid, "lastclose", lastclose, "removed", removed,
                        "left", pcp.pcHash.size());
            }
        } finally {
            pcp.pcLock.exit();
        }
        if (lastclose == 1) {
            state(pp.sys).caches.remove(pp);
        }
    }

    /** Associations currently cached for {@code pp} (for tests and tools). */
    public static int associations(Port pp) {
        State st = pp.sys.sourceStateIfAny(State.class);
        PortFdCache pcp = st == null ? null : st.caches.get(pp);
        if (pcp == null) {
            return 0;
        }
        pcp.pcLock.enter();
        try {
            return pcp.pcHash.size();
        } finally {
            pcp.pcLock.exit();
        }
    }
}
