package eventports.kernel;

import eventports.sched.KCondVar;
import eventports.sched.Sched;
import eventports.trace.Action;

/**
 * The retrieval engine, port_getn (port.c:1158-1563), shared by port_get and port_getn, and its
 * helpers: port_copy_event, port_check_return_cond, port_get_timeout, port_queue_thread,
 * port_dequeue_thread. The code follows the seed line by line; its gotos become the
 * {@code nowait} flag.
 *
 * <p>One engine pass: the entry checks (port.c:1184-1233); thrcnt++; either enough events are
 * queued ("portnowait") or the thread joins the waiter ring and sleeps on its own condition
 * variable until woken, interrupted, timed out, alerted or the port closes. A retriever then
 * takes PORTQ_BLOCKED, moves the whole queue to its temp list, and delivers without the mutex
 * (callbacks may deny an event: it is put back after the last checked one). Its exit section
 * pushes the rest back to the queue's tail and, being the last retriever, wakes the head
 * waiter the senders skipped (W2). A pass that found nothing deliverable asks the front end
 * to call again ({@code pgtLoop}), and the retry pass sleeps until a new event arrives.
 */
final class PortGetn {
    private PortGetn() {
    }

    /**
     * port.c:1255 / port.c:1318 "new events arrived since this call last scanned": PORTQ_WAIT_EVENTS is
     * clear (the seed: one port-wide bit, set by every scan, cleared by every send), or, with
     * fix ScanGen, the port's send generation moved past the one this call last scanned at.
     */
    static boolean newEvents(PortSystem sys, PortQueue portq, PortGettimer pgt) {
        if (sys.fixes(Fix.SCAN_GEN)) {
            return portq.portqGen != pgt.pgtScanGen;
        }
        return !portq.flag(Ports.PORTQ_WAIT_EVENTS);
    }

    /** uint_t comparison {@code a >= b}: counts are unsigned in the seed. */
    static boolean geU(int a, int b) {
        return Integer.compareUnsigned(a, b) >= 0;
    }

    /**
     * One engine pass. {@code nget[0]} is the requested count in and the delivered count out
     * (as the seed's {@code *nget}); delivered events are appended to {@code uevp} (the caller's
     * list: the copy-out). Returns 0 or an errno value.
     */
    static int portGetn(Proc cur, Port pp, PortEvents uevp, int max, int[] nget, PortGettimer pgt) {
        PortSystem sys = cur.sys;
        PortQueue portq = pp.portQueue;
        boolean tracing = sys.tracer != null;
        int error = 0;
        int blocking = -1;
        int flag = sys.fixes(Fix.FLAG_ONE) ? pgt.pgtFlags & Ports.PORTGET_ONE : pgt.pgtFlags;
        boolean hasDeadline = false;
        long rqtime = 0;

        if (Integer.compareUnsigned(nget[0], max) > 0 && max != 0) {
            if (tracing) {
                entry(cur, pp, pgt, max, nget[0], "EINVAL");
            }
            return Errno.EINVAL.code;                                     // port.c:1184-1185
        }
        portq.portqMutex.enter();
        if (max == 0) {                                                   // port.c:1189-1209 count query
            if (tracing && portq.flag(Ports.PORTQ_BLOCKED)) {
                entry(cur, pp, pgt, 0, nget[0], "count_wait");
            }
            boolean slept = portq.portBlock(pp, cur.pid, true);
            if (portq.portqTnent != 0) {
                portq.portPushEventq();
            }
            nget[0] = portq.portqNent;
            PortQueue.BlockSleeper blockwoke = portq.portUnblock();
            if (tracing) {
                if (slept) {
                    PortSubr.trace(pp, Action.PORT_BLOCK, cur.pid, PortSubr.withBlockwoke(blockwoke, "taken", true,
                            "count", nget[0]));
                } else {
                    entry(cur, pp, pgt, 0, nget[0], "count", blockwoke);
                }
            }
            portq.portqMutex.exit();
            return 0;
        }
        if (nget[0] == 0) {                                               // port.c:1215-1218
            if (tracing) {
                entry(cur, pp, pgt, max, 0, "nget0");
            }
            portq.portqMutex.exit();
            return 0;
        }
        if (portq.flag(Ports.PORTQ_CLOSE)) {                              // port.c:1221-1224
            if (tracing) {
                entry(cur, pp, pgt, max, nget[0], "EBADFD");
            }
            portq.portqMutex.exit();
            return Errno.EBADFD.code;
        }
        if (portq.flag(Ports.PORTQ_ALERT)) {                              // port.c:1227-1233
            portq.portqAlert.copyout(uevp);
            nget[0] = 1;
            if (tracing) {
                entry(cur, pp, pgt, max, 1, "ALERT");
            }
            portq.portqMutex.exit();
            return 0;
        }
        portq.portqThrcnt++;                                              // port.c:1235

        boolean nowait = false;
        if (pgt.pgtLoop) {                                                // port.c:1242-1262 retry pass
            if (newEvents(sys, portq, pgt) && geU(portq.portqNent, nget[0])) {
                nowait = true;
            } else {
                hasDeadline = pgt.pgtHasDeadline;
                rqtime = pgt.pgtRqtime;
                pgt.pgtFlags |= Ports.PORTGET_WAIT_EVENTS;
            }
        } else {                                                          // port.c:1263-1289 first pass
            if (geU(portq.portqNent, nget[0])) {
                nowait = true;
            } else {
                Timeout to = pgt.pgtTimeout;
                if (to != null && !to.zero() && to.invalid()) {           // port_get_timeout EINVAL
                    if (tracing) {
                        entry(cur, pp, pgt, max, nget[0], "EINVAL_TIMEOUT");
                    }
                    portCheckReturnCond(cur, pp);
                    portq.portqMutex.exit();
                    return Errno.EINVAL.code;
                }
                blocking = (to != null && to.zero()) ? 0 : 1;
                if (blocking != 0 && to != null) {
                    hasDeadline = true;
                    rqtime = to.deadlineFrom(sys.sched.nowNanos());
                }
                if (blocking == 0) {
                    nowait = true;
                }
            }
        }
        if (tracing) {
            entry(cur, pp, pgt, max, nget[0], nowait ? "nowait" : "queue");
        }
        if (!nowait) {
            Waiter pgetp = portQueueThread(cur, pp, nget[0]);             // port.c:1292
            boolean wokeUp = false;
            for (;;) {                                                    // port.c:1296-1333
                if ((pgetp.portgetState & Ports.PORTGET_ALERT) != 0) {
                    pgetp.portgetAlert.copyout(uevp);
                    nget[0] = 1;
                    portDequeueThread(cur, pp, pgetp, "ALERT");
                    if (sys.fixes(Fix.ALERT_RETURN)) {
                        portCheckReturnCond(cur, pp);
                    } else {
                        portq.portqThrcnt--;
                    }
                    portq.portqMutex.exit();
                    return 0;
                }
                if (portq.portqGetn == 0 && geU(portq.portqNent, nget[0])
                        && ((pgt.pgtFlags & Ports.PORTGET_WAIT_EVENTS) == 0 || newEvents(sys, portq, pgt))) {
                    break;
                }
                if (portq.flag(Ports.PORTQ_CLOSE)) {
                    error = Errno.EBADFD.code;
                    break;
                }
                if (wokeUp && sys.fixes(Fix.PASS_ON)) {
                    // this waiter cannot use the wake-up: hand it down the ring (never wrapping
                    // to the head), if the next waiter could be satisfied, as W1/W2 would have
                    Waiter next = pgetp.portgetNext;
                    if (next != portq.portqThread && portq.portqGetn == 0 && geU(portq.portqNent, next.portgetNget)) {
                        next.portgetCv.signal();
                    }
                }
                KCondVar cv = pgetp.portgetCv;
                // the outcome is traced as it is decided (atomically with MUSTRETURN's test)
                int rval = cv.waitUntilSig(portq.portqMutex, hasDeadline ? rqtime : Sched.NO_DEADLINE,
                        tracing ? r -> PortSubr.trace(pp, Action.CV_WAITUNTIL_SIG, cur.pid, "r",
                                r > 0 ? "signal" : r == 0 ? "intr" : "timeout") : null);
                if (rval <= 0) {
                    error = (rval == 0) ? Errno.EINTR.code : Errno.ETIME.code;
                    break;
                }
                wokeUp = true;
            }
            portDequeueThread(cur, pp, pgetp, error == 0 ? "OK" : Errno.of(error).name()); // port.c:1336
            if (error != 0 && (error == Errno.EINTR.code || error == Errno.EBADFD.code
                    || (error == Errno.ETIME.code && flag != 0))) {
                portCheckReturnCond(cur, pp);
                portq.portqMutex.exit();
                return error;
            }
        }

        // portnowait: port.c:1346-1380
        portq.portqGetn++;
        if (tracing && portq.flag(Ports.PORTQ_BLOCKED)) {
            PortSubr.trace(pp, Action.PORTNOWAIT, cur.pid, "blocked", true, "getn", portq.portqGetn);
        }
        boolean slept = portq.portBlock(pp, cur.pid, true);
        int nmax = Integer.compareUnsigned(max, portq.portqNent) < 0 ? max : portq.portqNent;
        if (portq.portqTnent != 0) {
            portq.portPushEventq();
        }
        portq.portqGetList.moveTail(portq.portqList);
        int tnent = portq.portqNent;
        portq.portqNent = 0;
        portq.portqFlags |= Ports.PORTQ_WAIT_EVENTS;
        pgt.pgtScanGen = portq.portqGen;
        if (tracing) {
            PortSubr.trace(pp, slept ? Action.PORT_BLOCK : Action.PORTNOWAIT, cur.pid, slept ? "taken" : "blocked",
                    slept, "tnent", tnent, "nmax", nmax, "getn", portq.portqGetn);
        }
        portq.portqMutex.exit();

        sys.sched.pausePoint("delivery");

        // delivery loop, port.c:1382-1420: the temp list is ours while PORTQ_BLOCKED is held.
        // The seed fills a kernel buffer (results) and copies it out after the exit section;
        // here the events go straight into the caller's list, and are taken back where the
        // seed would not copy them out (a retrieval that meets the last close).
        KeventList glist = portq.portqGetList;
        int results = uevp.count();
        Kevent lev = null;
        int nevents = 0;
        while (nevents < nmax) {
            Kevent pev = glist.next(lev);
            if (pev == null) {
                break;
            }
            if ((pev.portkevFlags & Ports.PORT_KEV_FREE) != 0) {          // port.c:1396-1404
                glist.remove(pev);
                pev.clearFlags(Ports.PORT_CLEANUP_DONE);
                if (Ports.portFreeEvent(pev)) {
                    PortSubr.portFreeEventLocal(pev, 0, cur, "discard");
                } else if (tracing) {
                    PortSubr.trace(pp, Action.PORT_COPY_EVENT, cur.pid, "kev", pev.id, "outcome", "discard");
                }
                tnent--;
                continue;
            }
            if (portCopyEvent(cur, uevp, pev, glist) != 0) {              // port.c:1407-1416 denied
                if (pev.linked) {
                    // port_associate_fd re-queued it inside port_copy_event's window (FINDINGS.md
                    // F14): the seed links its one list node into the temp list as well, which
                    // corrupts both lists; the core cannot represent that and stops here
                    throw new SeedCrash(lev != null ? "1413" : "1415", (lev != null ? "list_insert_after"
                            : "list_insert_head") + "(glist, pev): the kevent is on the port queue already");
                }
                if (lev != null) {
                    glist.insertAfter(lev, pev);
                } else {
                    glist.insertHead(pev);
                }
                lev = pev;
            } else {
                nevents++;
            }
        }
        portq.portqTnent = tnent - nevents;                               // port.c:1469

        // exit section, port.c:1481-1521
        portq.portqMutex.enter();
        PortQueue.BlockSleeper blockwoke = portq.portUnblock();
        if (portq.portqTnent != 0 && sys.faulty(CoreFault.LOST_PUSHBACK)) {
            portq.portqGetList.clear();
            portq.portqTnent = 0;
        }
        if (portq.portqTnent != 0) {
            if (sys.fixes(Fix.PUSH_HEAD)) {
                portq.portPushEventqHead();
            } else {
                portq.portPushEventq();
            }
        }
        portq.portqGetn--;
        if (--portq.portqThrcnt == 0 && portq.flag(Ports.PORTQ_CLOSE)) {
            portq.portqClosecv.signal();                                  // port.c:1493-1500
            if (sys.fixes(Fix.CLOSE_COPYOUT) && nevents > 0) {
                // the last thread out still returns what it took: those events left the queue
                if (tracing) {
                    PortSubr.trace(pp, Action.PORT_UNBLOCK, cur.pid, PortSubr.withBlockwoke(blockwoke, "delivered", nevents,
                            "closing", true));
                }
                portq.portqMutex.exit();
                nget[0] = nevents;
                return 0;
            }
            if (tracing) {
                PortSubr.trace(pp, Action.PORT_UNBLOCK, cur.pid, PortSubr.withBlockwoke(blockwoke, "delivered", 0,
                        "lost", nevents, "closing", true));
            }
            portq.portqMutex.exit();
            uevp.truncate(results);                                       // do not copy out
            nget[0] = 0;
            return Errno.EBADFD.code;
        }
        String woke = null;
        if (portq.portqThrcnt != 0 && portq.flag(Ports.PORTQ_CLOSE) && sys.fixes(Fix.CLOSE_EXIT_WAKE)) {
            // pass port_close's wake-up on, as port_check_return_cond does (port.c:1720)
            if (portq.portqThread != null) {
                portq.portqThread.portgetCv.signal();
                woke = portq.portqThread.thread;
            }
        } else if (portq.portqThrcnt != 0 && portq.portqGetn == 0) {      // port.c:1501-1509 (W2)
            if (portq.portqThread != null && geU(portq.portqNent, portq.portqNget)) {
                portq.portqThread.portgetCv.signal();
                woke = portq.portqThread.thread;
            }
        }
        // port.c:1511-1521: this retrieval emptied the queue for a while (its events were on the
        // temp list), so a poller may have found nothing and set PORTQ_POLLIN meanwhile
        boolean pollin = portq.flag(Ports.PORTQ_POLLIN);
        if (pollin) {
            portq.portqFlags &= ~Ports.PORTQ_POLLIN;
        }
        if (tracing) {
            PortSubr.trace(pp, Action.PORT_UNBLOCK, cur.pid, PortSubr.withBlockwoke(blockwoke, PortSubr.withIf(
                    new Object[]{"delivered", nevents, "closing", false, "woke", woke}, pollin, "pollwakeup", "POLLIN")));
        }
        portq.portqMutex.exit();
        if (pollin) {
            pp.portPollhd.pollwakeup(PollEvents.POLLIN);
        }
        // port.c:1524-1527 copyout: done, the events are in uevp

        if (nevents == 0 && error == 0 && !pgt.pgtLoop && blocking != 0) { // port.c:1530-1558
            if (blocking == -1) {
                Timeout to = pgt.pgtTimeout;
                if (to == null) {
                    blocking = 1;
                    pgt.pgtHasDeadline = false;
                } else if (to.zero()) {
                    blocking = 0;
                    pgt.pgtHasDeadline = false;
                } else if (to.invalid()) {
                    nget[0] = nevents;
                    return Errno.EINVAL.code;
                } else {
                    blocking = 1;
                    pgt.pgtHasDeadline = true;
                    pgt.pgtRqtime = to.deadlineFrom(sys.sched.nowNanos());
                }
            } else {
                pgt.pgtHasDeadline = hasDeadline;
                if (hasDeadline) {
                    pgt.pgtRqtime = rqtime;
                }
            }
            if (blocking != 0) {
                pgt.pgtLoop = true;
            }
        }
        nget[0] = nevents;
        return error;
    }

    /**
     * The "port_getn" record: one engine pass's entry critical section, with the call it belongs
     * to (kind, max, the reloaded nget, the timeout's class) and where it went next.
     */
    private static void entry(Proc cur, Port pp, PortGettimer pgt, int max, int nget, String next) {
        entry(cur, pp, pgt, max, nget, next, null);
    }

    /** As above, for the count query that took the block and woke {@code blockwoke} leaving it. */
    private static void entry(Proc cur, Port pp, PortGettimer pgt, int max, int nget, String next,
            PortQueue.BlockSleeper blockwoke) {
        Timeout to = pgt.pgtTimeout;
        String cls = to == null ? "null" : to.zero() ? "zero" : to.invalid() ? "invalid" : "pos";
        PortSubr.trace(pp, Action.PORT_GETN, cur.pid, PortSubr.withBlockwoke(blockwoke, "kind",
                (pgt.pgtFlags & Ports.PORTGET_ONE) != 0 ? "get" : "getn", "first", !pgt.pgtLoop, "max", max, "nget", nget,
                "to", cls, "next", next, "fd", pgt.fd));
    }

    /**
     * port_copy_event (port.c:1575-1617): fill the user record, unlink the event, and run its
     * callback in the retriever's context; a non-zero return denies delivery and restores the
     * flags (the caller re-inserts it). A delivered DEFAULT slot is freed. No lock is held: while
     * the callback runs a WIRED event is off every list with PORT_KEV_DONEQ clear, so the owner's
     * port_associate_fd may send it to the port queue, and the denial's write-back and re-insert
     * then link it twice (FINDINGS.md F14). Fix COPY_DONEQ keeps DONEQ until the callback accepts.
     */
    static int portCopyEvent(Proc cur, PortEvents puevp, Kevent pkevp, KeventList list) {
        Port pp = pkevp.portkevPort;
        int events = pkevp.portkevEvents;
        list.remove(pkevp);
        int flags = pkevp.portkevFlags;
        boolean freeEvent = false;
        // (PORT_SOURCE_FD only: a timer's callback clears it_pending, after which timer_fire
        // sends at once, and a DONEQ still set would swallow that send)
        boolean keepDoneq = pp.sys.fixes(Fix.COPY_DONEQ) && pkevp.portkevSource == Ports.PORT_SOURCE_FD;
        boolean wired = (pkevp.portkevFlags & Ports.PORT_KEV_WIRED) != 0;
        if (wired) {
            if (!keepDoneq) {
                pkevp.clearFlags(Ports.PORT_KEV_DONEQ);
            }
        } else {
            freeEvent = true;
        }
        if (pkevp.portkevCallback != null) {
            int[] pevents = {events};                                     // the callback may update them
            int error = pkevp.portkevCallback.callback(pkevp.portkevArg, pevents, pkevp.portkevPid,
                    Ports.PORT_CALLBACK_DEFAULT, pkevp, cur);
            events = pevents[0];
            if (error != 0) {
                // still the window: the event is off every list and no lock is held (scenarios
                // pause here, after the callback's record)
                pp.sys.sched.pausePoint("callback");
                if (!keepDoneq) {
                    pkevp.portkevFlags = flags;
                }
                if (pp.sys.tracer != null) {
                    PortSubr.trace(pp, Action.PORT_COPY_EVENT, cur.pid, "kev", pkevp.traceId(), "outcome", "deny");
                }
                return error;
            }
        }
        if (wired && keepDoneq) {
            pkevp.clearFlags(Ports.PORT_KEV_DONEQ);                       // accepted: off the lists now
        }
        puevp.add(events, pkevp.portkevSource, pkevp.portkevObject, pkevp.portkevUser);
        if (freeEvent) {
            PortSubr.portFreeEventLocal(pkevp, 0, cur, "deliver");
        } else if (pp.sys.tracer != null) {
            PortSubr.trace(pp, Action.PORT_COPY_EVENT, cur.pid, "kev", pkevp.traceId(), "outcome", "deliver");
        }
        return 0;
    }

    /**
     * port_check_return_cond (port.c:1711-1722): a thread leaves port_getn without retrieving.
     * thrcnt--; on a closing port either the closer (thrcnt now 0) or the head waiter is
     * signalled, so that the close hand-shake continues. The seed does not check that a head
     * waiter exists: with an empty ring it dereferences NULL (FINDINGS.md). Mutex held.
     */
    static void portCheckReturnCond(Proc cur, Port pp) {
        PortQueue portq = pp.portQueue;
        assert portq.portqMutex.held() : "port_check_return_cond: portq_mutex not held";
        if (!pp.sys.faulty(CoreFault.THRCNT_LEAK)) {
            portq.portqThrcnt--;
        }
        String signalled = null;
        if (portq.flag(Ports.PORTQ_CLOSE)) {
            if (portq.portqThrcnt == 0) {
                portq.portqClosecv.signal();
                signalled = "closecv";
            } else if (portq.portqThread != null) {
                portq.portqThread.portgetCv.signal();
                signalled = portq.portqThread.thread;
            } else if (!pp.sys.fixes(Fix.NULL_HEAD)) {
                if (pp.sys.tracer != null) {
                    PortSubr.trace(pp, Action.PORT_CHECK_RETURN_COND, cur.pid, "thrcnt", portq.portqThrcnt, "crash", true);
                }
                throw new SeedCrash("1720", "port_check_return_cond: cv_signal(&portq->portq_thread->portget_cv)"
                        + " with portq_thread == NULL (thrcnt " + portq.portqThrcnt + ", port closing)");
            }
        } else if (pp.sys.fixes(Fix.PASS_WAKEUP) && portq.portqGetn == 0 && portq.portqThread != null
                && geU(portq.portqNent, portq.portqNget)) {
            // the leaver may have consumed a W1/W2 wake-up meant for the head: pass it on
            portq.portqThread.portgetCv.signal();
            signalled = portq.portqThread.thread;
        }
        if (pp.sys.tracer != null) {
            PortSubr.trace(pp, Action.PORT_CHECK_RETURN_COND, cur.pid, "thrcnt", portq.portqThrcnt, "signalled", signalled);
        }
    }

    /**
     * port_queue_thread (port.c:1798-1839): put the caller on the waiter ring. The walk stops at the
     * first waiter whose count is >= nget, or at the last waiter, and inserts BEFORE it — so
     * ties are LIFO and a newcomer with the largest count lands before the last waiter (and
     * becomes the head when the ring had one member). Mutex held.
     */
    static Waiter portQueueThread(Proc cur, Port pp, int nget) {
        PortQueue portq = pp.portQueue;
        assert portq.portqMutex.held() : "port_queue_thread: portq_mutex not held";
        Waiter pgetp = new Waiter(nget, cur.pid, cur.sys.sched.currentThreadName(),
                cur.sys.sched.newCondVar("portget_cv"));
        if (pp.sys.tracer != null) {
            PortSubr.trace(pp, Action.PORT_QUEUE_THREAD, cur.pid, "nget", nget);
        }
        if (portq.portqThread == null) {
            portq.portqThread = pgetp;
            portq.portqNget = nget;
            pgetp.portgetPrev = pgetp;
            pgetp.portgetNext = pgetp;
            return pgetp;
        }
        Waiter ttp = portq.portqThread;
        Waiter htp = ttp;
        if (cur.sys.faulty(CoreFault.FIFO_WAITERS)) {
            // append at the tail: insert before the head, keep the head
            pgetp.portgetNext = htp;
            pgetp.portgetPrev = htp.portgetPrev;
            htp.portgetPrev.portgetNext = pgetp;
            htp.portgetPrev = pgetp;
            return pgetp;
        }
        for (;;) {
            if (Integer.compareUnsigned(nget, ttp.portgetNget) <= 0) {
                break;
            }
            if (htp == ttp.portgetNext) {
                if (cur.sys.fixes(Fix.INSERT_ORDER)) {
                    ttp = htp; // inserting before the head of a ring appends after the last
                }
                break;
            }
            ttp = ttp.portgetNext;
        }
        pgetp.portgetNext = ttp;
        pgetp.portgetPrev = ttp.portgetPrev;
        ttp.portgetPrev.portgetNext = pgetp;
        ttp.portgetPrev = pgetp;
        if (portq.portqThread == ttp && Integer.compareUnsigned(nget, ttp.portgetNget) <= 0) {
            portq.portqThread = pgetp;
        } else if (portq.portqThread == ttp && !cur.sys.fixes(Fix.INSERT_ORDER)) {
            portq.portqThread = pgetp;                                    // port.c:1835-1836
        }
        portq.portqNget = portq.portqThread.portgetNget;
        return pgetp;
    }

    /** port_dequeue_thread (port.c:1845-1859): leave the ring; refresh portq_nget. Mutex held. */
    static void portDequeueThread(Proc cur, Port pp, Waiter pgetp, String why) {
        PortQueue portq = pp.portQueue;
        assert portq.portqMutex.held() : "port_dequeue_thread: portq_mutex not held";
        if (pp.sys.tracer != null) {
            if ("ALERT".equals(why)) {
                // the alert value this waiter returns: its private snapshot (port.c:1299); "ALERT"
                // is passed only where PORTGET_ALERT is set (port.c:1297)
                PortSubr.trace(pp, Action.PORT_DEQUEUE_THREAD, cur.pid, "err", why, "alert", pgetp.portgetAlert.portalEvents);
            } else {
                PortSubr.trace(pp, Action.PORT_DEQUEUE_THREAD, cur.pid, "err", why);
            }
        }
        if (pgetp.portgetNext == pgetp) {
            portq.portqThread = null;
            portq.portqNget = 0;
        } else {
            pgetp.portgetPrev.portgetNext = pgetp.portgetNext;
            pgetp.portgetNext.portgetPrev = pgetp.portgetPrev;
            if (portq.portqThread == pgetp) {
                portq.portqThread = pgetp.portgetNext;
            }
            portq.portqNget = portq.portqThread.portgetNget;
        }
    }
}
