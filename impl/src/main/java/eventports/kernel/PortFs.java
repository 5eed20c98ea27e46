package eventports.kernel;

import eventports.trace.Action;
import java.util.ArrayList;
import java.util.List;

/**
 * The portfs system call (port.c:553-712) and the calls it dispatches to: port_create (port.c:721-786),
 * port_send (port.c:893-912), port_dispatch_event (port.c:941-966), port_sendn (port.c:974-1050),
 * port_alert (port.c:1072-1133), port_remove_alert (port.c:1138-1144), and the port_get / port_getn
 * front ends with their retry loops (port.c:596-641). What user space sees follows libc (libc event_port.c):
 * port_getn reports ETIME together with the partial count; other errors leave *nget alone.
 *
 * <p>User-space pointers do not exist in Java, so the EFAULT paths (NULL list, unreadable
 * timeout, failed copy-out) cannot be taken; everything else is as the seed codes it.
 */
final class PortFs {
    private PortFs() {
    }

    /**
     * getf + the VPORT check of port.c:585-591: EBADF if not open (or being closed), EBADFD if
     * not a port. The caller holds getf's reference until its releasef (port.c:709), which a
     * close(2) of the descriptor waits for (fio.c closeandsetf).
     */
    static Port getPort(Proc cur, int fd) throws PortException {
        FileObj fp = Fio.getf(cur, fd);
        if (fp == null) {
            throw new PortException(Errno.EBADF);
        }
        if (!(fp.vnode instanceof Port)) {
            Fio.releasef(cur, fd);
            throw new PortException(Errno.EBADFD);
        }
        return (Port) fp.vnode;
    }

    /** port_create (port.c:721-786). */
    static int portCreate(Proc cur) throws PortException {
        PortSystem sys = cur.sys;
        Port pp;
        int fd;
        sys.pcMutex.enter();
        try {
            // rctl project.max-port-ids against the system-wide count + 1 (port.c:745-746)
            if (sys.pcNents + 1 > sys.limits.portMaxIds()) {
                throw new PortException(Errno.EAGAIN);
            }
            pp = new Port(sys, sys.newObjectId(), sys.limits.portMaxEvents(), sys.limits.portMaxList(), cur.pid);
            sys.fileLock.enter();                                  // EMFILE, port.c:763-771
            try {
                fd = cur.allocFd(new FileObj(pp, sys.sched.newMutex("f_tlock")), 0);
            } finally {
                sys.fileLock.exit();
            }
            pp.portFd = fd;
            sys.pcNents++;
            if (sys.tracer != null) {
                sys.tracer.emit(Action.PORT_CREATE, cur.pid, pp.id, "fd", fd, "max_events", pp.portMaxEvents,
                        "ports", sys.pcNents, "layer", sys.layer.id());
            }
        } finally {
            sys.pcMutex.exit();
        }
        // port_init (port.c:791-844): the AIO source is pre-associated so close callbacks reach it
        PortSubr.portAssociateKsource(pp, Ports.PORT_SOURCE_AIO, eventports.sources.AioSource::aioClosePort, pp);
        return fd;
    }

    /** port_send (port.c:893-912): a USER event, no alert check, no close check. */
    static void portSend(Proc cur, int fd, int events, Object user) throws PortException {
        Port pp = getPort(cur, fd);
        try {
            Kevent pev = PortSubr.portAllocEventLocal(cur, pp, Ports.PORT_SOURCE_USER, Ports.PORT_ALLOC_DEFAULT);
            pev.portkevEvents = events;
            PortSubr.portInitEvent(pev, 0, user, null, null);
            pev.portkevFlags = 0;
            // the slot is allocated (port_curr counts it) and not queued, no lock held: a last close
            // now waits on portq_closecv for it (port_vnops.c port_close), which port_send_event signals
            cur.sys.sched.pausePoint("send_event");
            PortSubr.portSendEvent(pev);
        } finally {
            Fio.releasef(cur, fd);
        }
    }

    /**
     * port_sendn (port.c:974-1050) as the system call returns it: entries are independent; the
     * count of ports that got the event is returned even when some failed (EIO internally,
     * port.c:570-572); the errors array is written only if something failed.
     */
    static SendnResult portSendn(Proc cur, int[] ports, int events, Object user) throws PortException {
        PortSystem sys = cur.sys;
        if (ports == null) {
            throw new PortException(Errno.EFAULT);
        }
        int nent = ports.length;
        if (nent == 0 || nent > sys.limits.portMaxList()) {               // port.c:988-989
            throw new PortException(Errno.EINVAL);
        }
        int[] elist = null;
        int errorcnt = 0;
        Fio.callGoesOn(cur);
        for (int count = 0; count < nent; count++) {
            Errno e = null;
            try {
                portSend(cur, ports[count], events, user);               // getf, send, releasef (port.c:994-1006)
            } catch (PortException ex) {
                e = ex.errno();
            }
            if (e != null) {
                if (elist == null) {
                    elist = new int[nent];
                }
                elist[count] = e.code;
                errorcnt++;
            }
        }
        return new SendnResult(nent - errorcnt, elist);
    }

    /** port_dispatch_event (port.c:941-966) behind the PORT_DISPATCH opcode (port.c:665-679). */
    static void portDispatch(Proc cur, int fd, int source, int events, long object, Object user, boolean noshare)
            throws PortException {
        Port pp = getPort(cur, fd);
        try {
            if (source != Ports.PORT_SOURCE_AIO && source != Ports.PORT_SOURCE_MQ) {
                throw new PortException(Errno.EINVAL);
            }
            Kevent pev = PortSubr.portAllocEventBlock(cur, pp, source, Ports.PORT_ALLOC_DEFAULT);
            pev.portkevEvents = events;
            if (noshare) {
                PortSubr.portInitEvent(pev, object, user, PortFs::portNoshare, null);
                pev.portkevFlags = Ports.PORT_KEV_NOSHARE;
            } else {
                PortSubr.portInitEvent(pev, object, user, null, null);
                pev.portkevFlags = 0;
            }
            PortSubr.portSendEvent(pev);
        } finally {
            Fio.releasef(cur, fd);
        }
    }

    /** port_noshare (port.c:925-931): deny delivery to any process but the sender. */
    static int portNoshare(Object arg, int[] events, int pid, int flag, Kevent kev, Proc curproc) {
        if (flag == Ports.PORT_CALLBACK_DEFAULT && curproc.pid != pid) {
            return 1;
        }
        return 0;
    }

    /**
     * PORT_ALERT (port.c:695-702): events 0 clears alert mode without looking at the flags;
     * otherwise port_alert (port.c:1072-1133).
     */
    static void portAlert(Proc cur, int fd, int flags, int events, Object user) throws PortException {
        Port pp = getPort(cur, fd);
        try {
            portAlert(cur, pp, flags, events, user);
        } finally {
            Fio.releasef(cur, fd);
        }
    }

    private static void portAlert(Proc cur, Port pp, int flags, int events, Object user) throws PortException {
        if (events == 0) {
            portRemoveAlert(cur, pp);
            return;
        }
        if ((flags & Ports.PORT_ALERT_INVALID) == Ports.PORT_ALERT_INVALID) {
            throw new PortException(Errno.EINVAL);
        }
        PortQueue portq = pp.portQueue;
        portq.portqMutex.enter();
        if (flags == Ports.PORT_ALERT_UPDATE && portq.flag(Ports.PORTQ_ALERT)) {
            if (pp.sys.tracer != null) {
                PortSubr.trace(pp, Action.PORT_ALERT, cur.pid, "flags", flags, "events", events, "error", "EBUSY");
            }
            portq.portqMutex.exit();
            throw new PortException(Errno.EBUSY);
        }
        portq.portqFlags |= Ports.PORTQ_ALERT;
        Alert pa = portq.portqAlert;
        pa.portalEvents = events;
        pa.portalPid = cur.pid;
        pa.portalObject = 0;
        pa.portalUser = user;
        List<String> woken = null;
        Waiter pgetp = portq.portqThread;
        if (pgetp != null) {
            woken = new ArrayList<>();
            do {
                if ((pgetp.portgetState & Ports.PORTGET_ALERT) == 0 || pp.sys.faulty(CoreFault.ALERT_OVERWRITES_SNAPSHOT)) {
                    Alert wa = pgetp.portgetAlert;
                    wa.portalEvents = events;
                    wa.portalObject = 0;
                    wa.portalUser = user;
                    pgetp.portgetState |= Ports.PORTGET_ALERT;
                    pgetp.portgetCv.signal();
                    woken.add(pgetp.thread);
                }
                pgetp = pgetp.portgetNext;
            } while (pgetp != portq.portqThread);
        }
        if (pp.sys.tracer != null) {
            PortSubr.trace(pp, Action.PORT_ALERT, cur.pid, "flags", flags, "events", events, "woke", woken);
        }
        portq.portqMutex.exit();
    }

    /** port_remove_alert (port.c:1138-1144). */
    static void portRemoveAlert(Proc cur, Port pp) {
        PortQueue portq = pp.portQueue;
        portq.portqMutex.enter();
        portq.portqFlags &= ~Ports.PORTQ_ALERT;
        if (pp.sys.tracer != null) {
            PortSubr.trace(pp, Action.PORT_REMOVE_ALERT, cur.pid);
        }
        portq.portqMutex.exit();
    }

    /**
     * PORT_GET (port.c:596-617): engine passes with max 1, nget reloaded to 1 each pass, flag
     * PORTGET_ONE, while a pass returns no event, no error and asks to loop. Current illumos
     * reports a call that ends with no event as ETIME (port.c@57fb83de, see SOURCES.md); the seed returned 0
     * without writing the event.
     */
    static PortEvent portGet(Proc cur, int fd, Timeout timeout) throws PortException {
        Port pp = getPort(cur, fd);
        Frame f = FRAME.get();
        PortGettimer pgt = f.pgt.start(Ports.PORTGET_ONE, timeout, fd);
        PortEvents uevp = f.copyout;
        int[] nget = f.nget;
        int error;
        try {
            do {
                nget[0] = 1;
                uevp.reset();
                error = PortGetn.portGetn(cur, pp, uevp, 1, nget, pgt);
            } while (nget[0] == 0 && error == 0 && pgt.pgtLoop);
        } finally {
            Fio.releasef(cur, fd);
        }
        if (error == 0 && nget[0] == 0) {
            error = Errno.ETIME.code;
        }
        if (error != 0) {
            throw new PortException(Errno.of(error));
        }
        return uevp.get(0);
    }

    /** PORT_GETN (port.c:618-641) with libc's view of the result (libc event_port.c). */
    static GetnResult portGetn(Proc cur, int fd, int max, int ngetIn, Timeout timeout) throws PortException {
        PortEvents uevp = FRAME.get().copyout;
        int n = portGetn(cur, fd, uevp, max, ngetIn, timeout);
        return new GetnResult(n, uevp.toList());
    }

    /**
     * What port_get and port_getn keep on the calling thread's kernel stack in the seed: the
     * gettimer, {@code *nget}, and, for the calls that return records, the kernel buffer the
     * events are copied from (the seed kmem_allocs one per call, port.c:1384). One per thread,
     * so that a call allocates nothing of its own.
     */
    private static final class Frame {
        final PortGettimer pgt = new PortGettimer(0, null, -1);
        final int[] nget = new int[1];
        final PortEvents copyout = new PortEvents(64);
    }

    private static final ThreadLocal<Frame> FRAME = ThreadLocal.withInitial(Frame::new);

    /**
     * PORT_GETN into the caller's list; returns {@code *nget}. On an error the exception carries
     * what libc reports, as {@link #portGetn(Proc, int, int, int, Timeout)}'s does.
     */
    static int portGetn(Proc cur, int fd, PortEvents uevp, int max, int ngetIn, Timeout timeout)
            throws PortException {
        if (uevp == null) {
            throw new PortException(Errno.EFAULT, ngetIn, List.of());         // no list to copy out to
        }
        Port pp;
        try {
            pp = getPort(cur, fd);
        } catch (PortException e) {
            throw new PortException(e.errno(), ngetIn, List.of());
        }
        Frame f = FRAME.get();
        PortGettimer pgt = f.pgt.start(0, timeout, fd);
        int[] nget = f.nget;
        int error;
        try {
            do {
                nget[0] = ngetIn;
                uevp.reset();
                error = PortGetn.portGetn(cur, pp, uevp, max, nget, pgt);
            } while (nget[0] == 0 && error == 0 && pgt.pgtLoop);
        } finally {
            Fio.releasef(cur, fd);
        }
        if (error == Errno.ETIME.code) {
            throw new PortException(Errno.ETIME, nget[0], uevp.toList());
        }
        if (error != 0) {
            throw new PortException(Errno.of(error), ngetIn, uevp.toList());
        }
        return nget[0];
    }

    /**
     * PORT_ASSOCIATE (port.c:642-658): port_associate_fd (port_fd.c) or port_associate_fop
     * (port_fop.c); any other source is EINVAL.
     */
    static void portAssociate(Proc cur, int fd, int source, long object, int events, Object user)
            throws PortException {
        Port pp = getPort(cur, fd);
        int error;
        try {
            if (source == Ports.PORT_SOURCE_FD) {
                error = eventports.sources.PortFdSource.portAssociateFd(cur, pp, source, object, events, user);
            } else if (source == Ports.PORT_SOURCE_FILE) {
                error = eventports.sources.FileWatchSource.portAssociateFop(cur, pp, source, object, events, user);
            } else {
                error = Errno.EINVAL.code;
            }
        } finally {
            Fio.releasef(cur, fd);
        }
        if (error != 0) {
            throw new PortException(Errno.of(error));
        }
    }

    /**
     * PORT_DISSOCIATE (port.c:680-694): port_dissociate_fd (port_fd.c) or port_dissociate_fop
     * (port_fop.c); any other source is EINVAL.
     */
    static void portDissociate(Proc cur, int fd, int source, long object) throws PortException {
        Port pp = getPort(cur, fd);
        int error;
        try {
            if (source == Ports.PORT_SOURCE_FD) {
                error = eventports.sources.PortFdSource.portDissociateFd(cur, pp, object);
            } else if (source == Ports.PORT_SOURCE_FILE) {
                error = eventports.sources.FileWatchSource.portDissociateFop(cur, pp, object);
            } else {
                error = Errno.EINVAL.code;
            }
        } finally {
            Fio.releasef(cur, fd);
        }
        if (error != 0) {
            throw new PortException(Errno.of(error));
        }
    }
}
