package eventports.kernel;

import eventports.trace.Action;
import java.util.ArrayList;
import java.util.List;

/**
 * VOP_CLOSE of a port (port_vnops.c port_close) and the per-process and last-close clean-up
 * it calls (port_discard_events, port_close_events, in port_vnops.c too); close(2) reaches it
 * through the descriptor layer ({@link Fio}: closeandsetf, closef).
 *
 * <p>closef hands VOP_CLOSE the open file's reference count before its own decrement. With
 * other references left (fork, dup) the close is per-process: the caller's alert ownership,
 * its sources' resources and its non-shareable queued events go; waiters are not touched.
 * The last close runs the close protocol as the seed's portfs codes it: PORTQ_CLOSE is set,
 * the head waiter is signalled, and the closer sleeps on portq_closecv until every thread has
 * left port_getn (thrcnt == 0; each leaver passes the signal on, port.c:1491-1494,
 * 1711-1722); then the sources get their last-close callback, the closer waits until every
 * allocated slot is back in the queue (port_curr <= portq_nent), and the queued events are
 * discarded with their CLOSE callbacks.
 * In the descriptor layer ({@link Layer#DESCRIPTORS}) the closer's own threads on the
 * descriptor have left before port_close runs (fio.c closeandsetf), so a last close finds no
 * thread in port_getn; in the portfs layer it may find some.
 */
final class PortVnops {
    private PortVnops() {
    }

    /**
     * port_close (port_vnops.c), called by closef with the open file's count; {@code fd} is
     * the descriptor being closed (for the trace). Each critical section is a "port_close"
     * step (resumptions too).
     */
    static void portClose(Proc cur, Port pp, int count, int fd) {
        PortQueue portq = pp.portQueue;
        boolean tracing = pp.sys.tracer != null;
        if (count > 1) {
            portq.portqMutex.enter();
            boolean clearedAlert = false;
            if (portq.flag(Ports.PORTQ_ALERT) && portq.portqAlert.portalPid == cur.pid) {
                portq.portqFlags &= ~Ports.PORTQ_ALERT;
                clearedAlert = true;
            }
            if (tracing) {
                PortSubr.trace(pp, Action.PORT_CLOSE, cur.pid, "lastclose", 0, "resume", false, "count", count,
                        "cleared_alert", clearedAlert, "fd", fd);
            }
            portq.portqMutex.exit();
            closeSources(cur, pp, 0);
            portDiscardEvents(cur, pp);
            return;
        }

        portq.portqMutex.enter();
        portq.portqFlags |= Ports.PORTQ_CLOSE;
        boolean first = true;
        while (portq.portqThrcnt > 0) {
            String signalled = null;
            if (portq.portqThread != null) {
                portq.portqThread.portgetCv.signal();
                signalled = portq.portqThread.thread;
            }
            if (tracing) {
                if (first) {
                    PortSubr.trace(pp, Action.PORT_CLOSE, cur.pid, "lastclose", 1, "resume", false, "count", 1,
                            "thrcnt", portq.portqThrcnt, "signalled", signalled, "fd", fd);
                } else {
                    PortSubr.trace(pp, Action.PORT_CLOSE, cur.pid, "lastclose", 1, "resume", true,
                            "thrcnt", portq.portqThrcnt, "signalled", signalled);
                }
            }
            first = false;
            portq.portqClosecv.await(portq.portqMutex);
        }
        if (tracing) {
            if (first) {
                PortSubr.trace(pp, Action.PORT_CLOSE, cur.pid, "lastclose", 1, "resume", false, "count", 1, "thrcnt", 0,
                        "fd", fd);
            } else {
                PortSubr.trace(pp, Action.PORT_CLOSE, cur.pid, "lastclose", 1, "resume", true, "thrcnt", 0);
            }
        }
        portq.portqMutex.exit();

        closeSources(cur, pp, 1);

        // wait for outstanding slots: every allocated structure freed or back in the queue
        portq.portqMutex.enter();
        Action step = Action.PORT_CLOSE_SOURCES;
        while (pp.portCurr > portq.portqNent) {
            if (tracing) {
                PortSubr.trace(pp, step, cur.pid, "resume", true, "curr", pp.portCurr, "nent", portq.portqNent,
                        "wait", true);
            }
            step = Action.PORT_CLOSE;
            portq.portqClosecv.await(portq.portqMutex);
        }
        if (tracing) {
            PortSubr.trace(pp, step, cur.pid, "resume", true, "curr", pp.portCurr, "nent", portq.portqNent,
                    "wait", false);
        }
        portq.portqMutex.exit();

        portCloseEvents(cur, pp);
    }

    /** The sources' close callbacks (port_vnops.c): lastclose 0 per process, 1 at the last close. */
    private static void closeSources(Proc cur, Port pp, int lastclose) {
        PortQueue portq = pp.portQueue;
        portq.portqSourceMutex.enter();
        List<PortSource> sources = portq.portqScache == null ? List.of() : new ArrayList<>(portq.portqScache.values());
        for (PortSource ps : sources) {
            if (ps.portsrcClose != null) {
                ps.portsrcClose.close(ps.portsrcCloseArg, pp.portFd, cur.pid, lastclose);
            }
        }
        if (lastclose == 1) {
            portq.portqScache = null;
        }
        portq.portqSourceMutex.exit();
    }

    /**
     * port_discard_events (port_vnops.c): under the block, mark FREE every queued event of the closing
     * process that is not shareable; the next retriever (or the last close) discards it.
     */
    static void portDiscardEvents(Proc cur, Port pp) {
        PortQueue portq = pp.portQueue;
        boolean tracing = pp.sys.tracer != null;
        portq.portqMutex.enter();
        if (tracing && portq.flag(Ports.PORTQ_BLOCKED)) {
            PortSubr.trace(pp, Action.PORT_DISCARD_EVENTS, cur.pid, "blocked", true);
        }
        boolean slept = portq.portBlock(pp, cur.pid, true);
        if (portq.portqTnent != 0) {
            portq.portPushEventq();
        }
        List<Long> marked = new ArrayList<>();
        for (Kevent k = portq.portqList.head(); k != null; k = portq.portqList.next(k)) {
            if (k.portkevPid == cur.pid && (k.portkevFlags & Ports.PORT_KEV_NOSHARE) != 0) {
                k.setFlags(Ports.PORT_KEV_FREE);
                marked.add(k.id);
            }
        }
        PortQueue.BlockSleeper blockwoke = portq.portUnblock();
        if (tracing) {
            PortSubr.trace(pp, slept ? Action.PORT_BLOCK : Action.PORT_DISCARD_EVENTS, cur.pid, PortSubr.withBlockwoke(
                    blockwoke, slept ? "taken" : "blocked", slept, "marked", marked));
        }
        portq.portqMutex.exit();
    }

    /**
     * port_close_events (port_vnops.c): unlink every queued event, run its callback with
     * PORT_CALLBACK_CLOSE, release its slot; then wait on portq_closecv while a pollwakeup of
     * another port's object is still notifying this port's pollers (PORTQ_POLLWK_PEND, set by
     * port_pollwkup). port_pollwkdone signals port_cv, not portq_closecv (port_subr.c): a closer
     * that got here first sleeps for good (FINDINGS.md F12; fix PollwkdoneClose).
     */
    static void portCloseEvents(Proc cur, Port pp) {
        PortQueue portq = pp.portQueue;
        portq.portqMutex.enter();
        Kevent pkevp;
        while ((pkevp = portq.portqList.head()) != null) {
            portq.portqNent--;
            portq.portqList.remove(pkevp);
            if (pkevp.portkevCallback != null) {
                pkevp.portkevCallback.callback(pkevp.portkevArg, new int[1], pkevp.portkevPid,
                        Ports.PORT_CALLBACK_CLOSE, pkevp, cur);
            }
            if (pp.sys.tracer != null) {
                PortSubr.trace(pp, Action.PORT_CLOSE_EVENTS, cur.pid, "kev", pkevp.id, "nent", portq.portqNent);
            }
            portq.portqMutex.exit();
            PortSubr.portFreeEventLocal(pkevp, 0);
            portq.portqMutex.enter();
        }
        // records only where PORTQ_POLLWK_PEND is involved: one per check that sleeps, and the
        // check after a sleep that finds it clear
        boolean slept = false;
        while (portq.flag(Ports.PORTQ_POLLWK_PEND)) {
            if (pp.sys.tracer != null) {
                PortSubr.trace(pp, Action.PORT_CLOSE_EVENTS, cur.pid, "pollwk_pend", true, "resume", slept);
            }
            portq.portqClosecv.await(portq.portqMutex);
            slept = true;
        }
        if (slept && pp.sys.tracer != null) {
            PortSubr.trace(pp, Action.PORT_CLOSE_EVENTS, cur.pid, "pollwk_pend", false, "resume", true);
        }
        portq.portqMutex.exit();
    }

    /**
     * port_poll (port_vnops.c), VOP_POLL of a port with anyyet 0: POLLIN while events are queued
     * (portq_nent: during a retrieval the queue is empty, its events are on the retriever's temp
     * list), POLLOUT while a slot is free (port_curr &lt; port_max_events); alert mode does not
     * count. A poller that finds none of its events ready is registered on port_pollhd and the
     * port remembers what it waits for (PORTQ_POLLIN, PORTQ_POLLOUT), so that the next
     * port_send_event, the end of a retrieval or a freed slot wakes it.
     */
    static int portPoll(Proc cur, Port pp, int events) {
        PortQueue portq = pp.portQueue;
        portq.portqMutex.enter();
        int levents = 0;
        if (portq.portqNent != 0) {
            levents = PollEvents.POLLIN;
        }
        if (pp.portCurr < pp.portMaxEvents) {
            levents |= PollEvents.POLLOUT;
        }
        levents &= events;
        int set = 0;
        if (levents == 0) {
            set |= (events & PollEvents.POLLIN) != 0 ? Ports.PORTQ_POLLIN : 0;
            set |= (events & PollEvents.POLLOUT) != 0 ? Ports.PORTQ_POLLOUT : 0;
            portq.portqFlags |= set;
        }
        if (pp.sys.tracer != null) {
            PortSubr.trace(pp, Action.PORT_POLL, cur.pid, "events", events & (PollEvents.POLLIN | PollEvents.POLLOUT),
                    "revents", levents, "nent", portq.portqNent, "curr", pp.portCurr);
        }
        portq.portqMutex.exit();
        return levents;
    }

    /** port_inactive (port_vnops.c): the vnode goes away; the system-wide port count drops. */
    static void portInactive(PortSystem sys, Port pp) {
        sys.pcMutex.enter();
        sys.pcNents--;
        if (sys.tracer != null) {
            sys.tracer.emit(Action.PORT_INACTIVE, 0, pp.id, "ports", sys.pcNents);
        }
        sys.pcMutex.exit();
    }
}
