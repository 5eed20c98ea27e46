package eventports.kernel;

import eventports.trace.Action;
import eventports.trace.Tracer;

/**
 * The kernel-side API for event sources (port_subr.c): reserve a slot, fill and send
 * it, free it, associate a source for close callbacks. Sources (port_send, port_dispatch, and
 * later the FD and TIMER sources) only touch a port through these functions.
 *
 * <p>The slot budget: every allocation raises {@code port_curr} under portq_mutex and fails
 * with EAGAIN at {@code port_max_events}; a DEFAULT slot is released when it is delivered or
 * discarded, WIRED slots (PRIVATE, CACHED, SCACHED) stay with their source.
 */
public final class PortSubr {
    private PortSubr() {
    }

    /**
     * port_alloc_event_local: reserve a slot of {@code pp} for {@code source}, owned by
     * {@code cur}. EAGAIN when port_curr has reached port_max_events.
     */
    public static Kevent portAllocEventLocal(Proc cur, Port pp, int source, int flags) throws PortException {
        PortQueue portq = pp.portQueue;
        long id = cur.sys.newKeventId();
        Long kev = pp.sys.tracer != null ? id : null;                     // boxed once for the slot's records
        portq.portqMutex.enter();
        if (pp.sys.tracer != null) {
            PortCheckpoint.checkpoint(pp, cur.pid);
        }
        if (pp.portCurr >= pp.portMaxEvents) {
            if (pp.sys.tracer != null) {
                trace(pp, Action.PORT_ALLOC_EVENT_LOCAL, cur.pid, "kev", kev, "error", Errno.EAGAIN.name(),
                        "curr", pp.portCurr);
            }
            portq.portqMutex.exit();
            throw new PortException(Errno.EAGAIN);
        }
        pp.portCurr++;
        if (pp.sys.tracer != null) {
            trace(pp, Action.PORT_ALLOC_EVENT_LOCAL, cur.pid, "kev", kev, "curr", pp.portCurr);
        }
        Kevent pkevp = source == Ports.PORT_SOURCE_USER ? pp.kevCacheAlloc() : new Kevent(0);
        portq.portqMutex.exit();
        pkevp.id = id;
        pkevp.idBox = kev;
        return bind(pkevp, cur, pp, source, flags);
    }

    /**
     * port_alloc_event_block: like {@link #portAllocEventLocal} but sleeps on port_cv while the
     * port is full; EINTR if a signal arrives (used by port_dispatch, port.c:948).
     */
    public static Kevent portAllocEventBlock(Proc cur, Port pp, int source, int flags) throws PortException {
        PortQueue portq = pp.portQueue;
        Kevent pkevp = new Kevent(cur.sys.newKeventId());
        portq.portqMutex.enter();
        // Records (one per spec step, taken with the mutex held): each check that finds the
        // port full and goes to sleep ("sleep"), the interrupted sleep, and the allocation;
        // "r" says how the previous sleep ended (null: this is the first check).
        String r = null;
        while (pp.portCurr >= pp.portMaxEvents) {
            if (pp.sys.tracer != null) {
                trace(pp, Action.PORT_ALLOC_EVENT_BLOCK, cur.pid, "kev", pkevp.id, "r", r, "sleep", true,
                        "curr", pp.portCurr);
            }
            if (pp.portCv.waitUntilSig(portq.portqMutex, eventports.sched.Sched.NO_DEADLINE) == 0) {
                if (pp.sys.tracer != null) {
                    trace(pp, Action.PORT_ALLOC_EVENT_BLOCK, cur.pid, "kev", pkevp.id, "r", "intr", "error",
                            Errno.EINTR.name());
                }
                portq.portqMutex.exit();
                throw new PortException(Errno.EINTR);
            }
            r = "signal";
        }
        pp.portCurr++;
        if (pp.sys.tracer != null) {
            trace(pp, Action.PORT_ALLOC_EVENT_BLOCK, cur.pid, "kev", pkevp.id, "r", r, "curr", pp.portCurr);
        }
        portq.portqMutex.exit();
        return bind(pkevp, cur, pp, source, flags);
    }

    /** A reserved slot belongs to the calling process and the port (the tail of both allocators). */
    private static Kevent bind(Kevent pkevp, Proc cur, Port pp, int source, int flags) {
        pkevp.portkevSource = source;
        pkevp.portkevFlags = flags;
        pkevp.portkevPid = cur.pid;
        pkevp.portkevPort = pp;
        return pkevp;
    }

    /** port_init_event: fill a reserved slot before sending it. */
    public static void portInitEvent(Kevent pkevp, long object, Object user, KeventCallback callback, Object arg) {
        pkevp.portkevObject = object;
        pkevp.portkevUser = user;
        pkevp.portkevCallback = callback;
        pkevp.portkevArg = arg;
    }

    /**
     * port_send_event (port_subr.c): append to the tail of the port queue and wake. A slot that is
     * already queued (DONEQ) is left alone: sending it again is a no-op. Clears
     * PORTQ_WAIT_EVENTS so retrying getters rescan (port.c:1242-1262); signals a last close waiting for
     * outstanding slots; rule W1: wakes the head waiter only if no retrieval is in progress
     * and the queue now holds at least the head's requested count.
     */
    public static void portSendEvent(Kevent pkevp) {
        Port pp = pkevp.portkevPort;
        PortQueue portq = pp.portQueue;
        portq.portqMutex.enter();
        if ((pkevp.portkevFlags & Ports.PORT_KEV_DONEQ) != 0) {
            if (pp.sys.tracer != null) {
                trace(pp, Action.PORT_SEND_EVENT, pkevp.portkevPid, "kev", pkevp.id, "already_queued", true);
            }
            portq.portqMutex.exit();
            return;
        }
        portq.portqList.insertTail(pkevp);
        portq.portqNent++;
        if (!pp.sys.faulty(CoreFault.WAIT_EVENTS_KEPT)) {
            portq.portqFlags &= ~Ports.PORTQ_WAIT_EVENTS;
        }
        portq.portqGen++;
        pkevp.setFlags(Ports.PORT_KEV_DONEQ);
        if (portq.flag(Ports.PORTQ_CLOSE) && pp.portCurr <= portq.portqNent) {
            portq.portqClosecv.signal();
        }
        String woke = null;
        if ((portq.portqGetn == 0 || pp.sys.faulty(CoreFault.WAKE_DURING_RETRIEVAL)) && portq.portqThread != null
                && PortGetn.geU(portq.portqNent, portq.portqNget)) {
            portq.portqThread.portgetCv.signal();
            woke = portq.portqThread.thread;
        }
        // the port's own pollers (port_poll set PORTQ_POLLIN); FD events leave it to the
        // pollwakeup that fired them (port_pollwkup), which is already running
        boolean pollin = pkevp.portkevSource != Ports.PORT_SOURCE_FD && portq.flag(Ports.PORTQ_POLLIN);
        if (pollin) {
            portq.portqFlags &= ~Ports.PORTQ_POLLIN;
        }
        if (pp.sys.tracer != null) {
            traceSendEvent(pp, pkevp, woke, pollin);
        }
        portq.portqMutex.exit();
        if (pollin) {
            pp.portPollhd.pollwakeup(PollEvents.POLLIN);
        }
    }

    /**
     * port_pollwkup (port_subr.c), called by pollwakeup after it queued the FD event {@code kev}
     * on {@code pp}: if a poller of {@code pp} waits for POLLIN (PORTQ_POLLIN) and no other
     * pollwakeup is notifying {@code pp}'s pollers, take that job: PORTQ_POLLIN becomes
     * PORTQ_POLLWK_PEND (which also keeps the port from going away) until port_pollwkdone.
     * Returns POLLIN if the caller must notify {@code pp}'s pollhead, else 0.
     */
    public static int portPollwkup(Port pp, Kevent kev) {
        PortQueue portq = pp.portQueue;
        int events = 0;
        portq.portqMutex.enter();
        if (portq.flag(Ports.PORTQ_POLLIN) && !portq.flag(Ports.PORTQ_POLLWK_PEND)) {
            portq.portqFlags &= ~Ports.PORTQ_POLLIN;
            portq.portqFlags |= Ports.PORTQ_POLLWK_PEND;
            events = PollEvents.POLLIN;
        }
        if (pp.sys.tracer != null) {
            trace(pp, Action.PORT_POLLWKUP, kev.portkevPid, "kev", kev.id, "events", events);
        }
        portq.portqMutex.exit();
        return events;
    }

    /**
     * port_pollwkdone (port_subr.c): pollwakeup has notified {@code pp}'s pollers; clear
     * PORTQ_POLLWK_PEND and cv_signal port_cv. A last close waiting for the flag in
     * port_close_events sleeps on portq_closecv, which this does not signal (FINDINGS.md F12);
     * fix PollwkdoneClose signals it too.
     */
    static void portPollwkdone(Port pp) {
        PortQueue portq = pp.portQueue;
        portq.portqMutex.enter();
        portq.portqFlags &= ~Ports.PORTQ_POLLWK_PEND;
        pp.portCv.signal();
        boolean closecv = pp.sys.fixes(Fix.POLLWKDONE_CLOSE);
        if (closecv) {
            portq.portqClosecv.signal();
        }
        if (pp.sys.tracer != null) {
            trace(pp, Action.PORT_POLLWKDONE, pp.portPid, "closecv", closecv);
        }
        portq.portqMutex.exit();
    }

    /**
     * The "port_send_event" record of an enqueue; portq_mutex held. A method of its own so that
     * port_send_event's bytecode stays small enough for the JIT to inline it into port_send.
     */
    private static void traceSendEvent(Port pp, Kevent pkevp, String woke, boolean pollin) {
        trace(pp, Action.PORT_SEND_EVENT, pkevp.portkevPid, withIf(new Object[]{"kev", pkevp.traceId(),
                "source", pkevp.portkevSource, "noshare", (pkevp.portkevFlags & Ports.PORT_KEV_NOSHARE) != 0,
                "nent", pp.portQueue.portqNent, "woke", woke}, pollin, "pollwakeup", "POLLIN"));
    }

    /**
     * port_free_event (port_subr.c): give a reserved slot back. A queued slot is only marked FREE (the
     * next retriever or the last close discards it); otherwise the slot is released, except a
     * CACHED one, which its cache owns.
     */
    public static void portFreeEvent(Kevent pkevp) {
        Port pp = pkevp.portkevPort;
        if (pp == null) {
            return;
        }
        if ((pkevp.portkevFlags & Ports.PORT_ALLOC_PRIVATE) != 0) {
            portFreeEventLocal(pkevp, 0);
            return;
        }
        PortQueue portq = pp.portQueue;
        portq.portqMutex.enter();
        portq.portBlock(pp, pkevp.portkevPid, false);
        if ((pkevp.portkevFlags & Ports.PORT_KEV_DONEQ) != 0) {
            pkevp.setFlags(Ports.PORT_KEV_FREE);
            pkevp.portkevCallback = null;
            if (pp.sys.tracer != null) {
                trace(pp, Action.PORT_FREE_EVENT, pkevp.portkevPid, "kev", pkevp.id, "marked_free", true);
            }
            portq.portUnblock();
            portq.portqMutex.exit();
            return;
        }
        portq.portUnblock();
        if ((pkevp.portkevFlags & Ports.PORT_KEV_CACHED) != 0) {
            portq.portqMutex.exit();
            return;
        }
        if (--pp.portCurr < pp.portMaxEvents) {
            pp.portCv.signal();
        }
        if (portq.flag(Ports.PORTQ_CLOSE) && pp.portCurr <= portq.portqNent) {
            portq.portqClosecv.signal();
        }
        if (pp.sys.tracer != null) {
            trace(pp, Action.PORT_FREE_EVENT, pkevp.portkevPid, "kev", pkevp.id, "curr", pp.portCurr);
        }
        portq.portqMutex.exit();
        portFreeEventLocal(pkevp, 1);
    }

    /**
     * port_free_event_local (port_subr.c): release the slot; with {@code counter == 0} also give its
     * unit of port_curr back and wake a blocked port_dispatch. Takes portq_mutex.
     */
    public static void portFreeEventLocal(Kevent pkevp, int counter) {
        portFreeEventLocal(pkevp, counter, null, null);
    }

    /**
     * As above; a retriever freeing the slot of an event it delivered or discarded passes the
     * outcome, so that its "port_copy_event" record is taken inside the critical section that
     * gives the slot back (the step's effect on port_curr).
     */
    static void portFreeEventLocal(Kevent pkevp, int counter, Proc retriever, String outcome) {
        Port pp = pkevp.portkevPort;
        PortQueue portq = pp.portQueue;
        pkevp.portkevCallback = null;
        pkevp.portkevFlags = 0;
        pkevp.portkevPort = null;
        portq.portqMutex.enter();
        if (counter == 0) {
            if (--pp.portCurr < pp.portMaxEvents) {
                pp.portCv.signal();
            }
        }
        // a slot is free again: wake the pollers waiting for POLLOUT (port_poll set PORTQ_POLLOUT)
        boolean pollout = portq.flag(Ports.PORTQ_POLLOUT);
        portq.portqFlags &= ~Ports.PORTQ_POLLOUT;
        if (pp.sys.tracer != null) {
            if (outcome != null) {
                trace(pp, Action.PORT_COPY_EVENT, retriever.pid, withIf(new Object[]{"kev", pkevp.traceId(), "outcome", outcome,
                        "curr", pp.portCurr}, pollout, "pollwakeup", "POLLOUT"));
            } else if (pollout) {
                // the step that freed the slot was recorded before (port_remove_fd_object,
                // port_close_events, ...): this record only says that it woke the POLLOUT pollers
                trace(pp, Action.PORT_FREE_EVENT_LOCAL, pkevp.portkevPid, "kev", pkevp.id, "curr", pp.portCurr,
                        "pollwakeup", "POLLOUT");
            }
        }
        if (pkevp.portkevSource == Ports.PORT_SOURCE_USER) {
            // kmem_cache_free: only port_send's slots, which no source refers to after this
            pkevp.portkevUser = null;
            pp.kevCacheFree(pkevp);
        }
        portq.portqMutex.exit();
        if (pollout) {
            pp.portPollhd.pollwakeup(PollEvents.POLLOUT);
        }
    }

    /** {@code kv} with {@code key, value} appended when {@code cond}: a field only some records carry. */
    static Object[] withIf(Object[] kv, boolean cond, String key, Object value) {
        if (!cond) {
            return kv;
        }
        Object[] out = java.util.Arrays.copyOf(kv, kv.length + 2);
        out[kv.length] = key;
        out[kv.length + 1] = value;
        return out;
    }

    /**
     * port_remove_done_event (port_subr.c): take a queued slot back out of the queue (a source
     * cancelling its event). Returns 1 if it was queued.
     */
    public static int portRemoveDoneEvent(Kevent pkevp) {
        Port pp = pkevp.portkevPort;
        PortQueue portq = pp.portQueue;
        int removed = 0;
        portq.portqMutex.enter();
        portq.portBlock(pp, pkevp.portkevPid, false);
        if (portq.portqTnent != 0) {
            portq.portPushEventq();
        }
        if ((pkevp.portkevFlags & Ports.PORT_KEV_DONEQ) != 0) {
            portq.portqList.remove(pkevp);
            portq.portqNent--;
            pkevp.clearFlags(Ports.PORT_KEV_DONEQ);
            removed = 1;
        }
        PortQueue.BlockSleeper blockwoke = portq.portUnblock();
        if (pp.sys.tracer != null) {
            trace(pp, Action.PORT_REMOVE_DONE_EVENT, pkevp.portkevPid, withBlockwoke(blockwoke, "kev", pkevp.id,
                    "removed", removed));
        }
        portq.portqMutex.exit();
        return removed;
    }

    /**
     * port_associate_ksource: register {@code source} with the port so that port_close calls
     * {@code close} (per-process and last close). A second association bumps a count.
     */
    public static void portAssociateKsource(Port pp, int source, PortSource.CloseCallback close, Object arg) {
        PortQueue portq = pp.portQueue;
        portq.portqSourceMutex.enter();
        PortSource ps = portq.portqScache == null ? null : portq.portqScache.get(source);
        if (ps != null) {
            ps.portsrcCnt++;
        } else if (portq.portqScache != null) {
            portq.portqScache.put(source, new PortSource(source, close, arg));
        }
        portq.portqSourceMutex.exit();
    }

    /** port_dissociate_ksource: drop one association of {@code source}. */
    public static void portDissociateKsource(Port pp, int source) {
        PortQueue portq = pp.portQueue;
        portq.portqSourceMutex.enter();
        PortSource ps = portq.portqScache == null ? null : portq.portqScache.get(source);
        if (ps != null && --ps.portsrcCnt == 0) {
            portq.portqScache.remove(source);
        }
        portq.portqSourceMutex.exit();
    }

    /**
     * {@code kv}, and the block sleeper the step's port_unblock woke if any: "blockwoke" (its
     * thread) and "blockwoke_pid" (its process: a harness thread may call as several).
     */
    static Object[] withBlockwoke(PortQueue.BlockSleeper b, Object... kv) {
        if (b == null) {
            return kv;
        }
        Object[] out = java.util.Arrays.copyOf(kv, kv.length + 4);
        out[kv.length] = "blockwoke";
        out[kv.length + 1] = b.thread();
        out[kv.length + 2] = "blockwoke_pid";
        out[kv.length + 3] = b.pid();
        return out;
    }

    /** Emit a trace record for a step on {@code pp}; call inside the step's critical section. */
    public static void trace(Port pp, Action action, int pid, Object... kv) {
        Tracer t = pp.sys.tracer;
        if (t != null) {
            t.emit(action, pid, pp.id, kv);
        }
    }
}
