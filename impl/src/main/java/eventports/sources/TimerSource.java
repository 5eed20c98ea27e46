package eventports.sources;

import eventports.kernel.Errno;
import eventports.kernel.FileObj;
import eventports.kernel.Kevent;
import eventports.kernel.Port;
import eventports.kernel.PortException;
import eventports.kernel.PortSubr;
import eventports.kernel.PortSystem;
import eventports.kernel.Ports;
import eventports.kernel.Proc;
import eventports.sched.KMutex;
import eventports.sched.RealSched;
import eventports.trace.Action;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/*
 * PORT_SOURCE_TIMER (illumos timer.c; port.c:139-149).
 *
 * timer_create with SIGEV_PORT registers the TIMER source with the port (close callback
 * timer_close_port) and reserves one PORT_ALLOC_SCACHED slot per timer: object = timer id,
 * user = portnfy_user, callback timer_port_callback. The slot is the timer's for its whole
 * life; it is sent at an expiry when no expiry is pending, and an expiry that finds one
 * pending only counts an overrun (it_pending++). Delivery runs the callback in the retriever's
 * process: another process is denied (EACCES, the event stays queued); the owner receives
 * events = 1 + overruns and the counter restarts — that is the source's sign that the slot
 * may be sent again.
 *
 * A close of the port by the timer's process (per-process or last) takes the slot back
 * (out of the queue if it is there) and frees it; the timer keeps running without port
 * notification, as illumos' timer does, until it is deleted. timer_delete does the same and
 * drops the source's reference on the port.
 *
 * Expiries come from timerExpire (the conformance op timer_expire: one expiry of the clock
 * backend) or, on the real-thread runtime, from timerSettime's clock (one scheduler thread
 * per system). illumos matches timers to a closing port by descriptor number (it_portfd ==
 * port_fd); here they are matched by port, which is the same for every descriptor the
 * reference can make (no dup).
 *
 * Locks: the system's timer table monitor (p_lock, never held while sleeping) → it_mutex →
 * portq_mutex.
 */

/** PORT_SOURCE_TIMER: timer_create / timer_settime / timer_delete with SIGEV_PORT (timer.c). */
public final class TimerSource {
    private TimerSource() {
    }

    /** itimer_t, the part that concerns ports. */
    public static final class Itimer {
        final int itId;
        final Proc itProc;
        final KMutex itMutex;
        /** it_portev: the SCACHED slot, null once the port dropped the timer. Guarded by itMutex. */
        Kevent itPortev;
        /** it_portfd: the port the slot belongs to. */
        Port itPort;
        /** IT_PORT: expiries notify the port. Guarded by itMutex. */
        boolean itFlagPort;
        /** it_pending: expiries since the last delivery (1 + overruns while queued). Guarded by itMutex. */
        int itPending;
        /** The real clock of this timer (real-thread runtime only). Guarded by the table. */
        ScheduledFuture<?> clock;

        Itimer(int id, Proc proc, KMutex mutex) {
            this.itId = id;
            this.itProc = proc;
            this.itMutex = mutex;
        }

        public int id() {
            return itId;
        }
    }

    /** Per-system state: each process's timers (p_itimer) and, lazily, the real clock. */
    static final class State {
        final Map<Integer, TreeMap<Integer, Itimer>> pItimer = new TreeMap<>();
        ScheduledExecutorService clock;
    }

    private static State state(PortSystem sys) {
        return sys.sourceState(State.class, s -> new State());
    }

    /**
     * timer_create(CLOCK_*, SIGEV_PORT {port, user}): a timer of {@code p} that notifies
     * {@code port}. Returns the timer id (the lowest free one of the process). EBADF: port not
     * open; EBADFD: not a port; EAGAIN: the port's event limit is reached.
     */
    public static int timerCreate(Proc p, int port, Object user) throws PortException {
        FileObj fp = p.file(port);
        if (fp == null) {
            throw new PortException(Errno.EBADF);
        }
        if (!(fp.vnode() instanceof Port)) {
            throw new PortException(Errno.EBADFD);
        }
        Port pp = (Port) fp.vnode();
        State st = state(pp.sys);
        PortSubr.portAssociateKsource(pp, Ports.PORT_SOURCE_TIMER, TimerSource::timerClosePort, pp);
        Kevent pkevp;
        try {
            pkevp = PortSubr.portAllocEventLocal(p, pp, Ports.PORT_SOURCE_TIMER, Ports.PORT_ALLOC_SCACHED);
        } catch (PortException e) {
            PortSubr.portDissociateKsource(pp, Ports.PORT_SOURCE_TIMER);
            throw e;
        }
        Itimer it;
        synchronized (st) {
            TreeMap<Integer, Itimer> table = st.pItimer.computeIfAbsent(p.pid, k -> new TreeMap<>());
            int id = 0;
            while (table.containsKey(id)) {
                id++;
            }
            it = new Itimer(id, p, pp.sys.sched.newMutex("it_mutex#" + p.pid + "." + id));
            it.itPortev = pkevp;
            it.itPort = pp;
            it.itFlagPort = true;
            PortSubr.portInitEvent(pkevp, id, user, TimerSource::timerPortCallback, it);
            table.put(id, it);
        }
        if (pp.sys.tracer != null) {
            it.itMutex.enter();
            PortSubr.trace(pp, Action.TIMER_CREATE, p.pid, "timer", it.itId, "kev", pkevp.id);
            it.itMutex.exit();
        }
        return it.itId;
    }

    /** One expiry of timer {@code id} of {@code p} (the conformance op timer_expire). EINVAL: no such timer. */
    public static void timerExpire(Proc p, int id) throws PortException {
        timerFire(grab(p, id));
    }

    /**
     * timer_fire (timer.c): with an expiry pending only count it (overrun, capped at
     * INT_MAX); otherwise the timer's slot is sent with one expiry pending.
     */
    static void timerFire(Itimer it) {
        it.itMutex.enter();
        try {
            if (it.itPending > 0) {
                if (it.itPending < Integer.MAX_VALUE) {
                    it.itPending++;
                }
                if (it.itPort.sys.tracer != null) {
                    traceTimer(it, Action.TIMER_FIRE, "pending", it.itPending);
                }
            } else if (it.itFlagPort) {
                it.itPending = 1;
                if (it.itPort.sys.tracer != null) {
                    traceTimer(it, Action.TIMER_FIRE, "pending", 1);
                }
                PortSubr.portSendEvent(it.itPortev);
            }
        } finally {
            it.itMutex.exit();
        }
    }

    /**
     * timer_port_callback (timer.c): only the timer's process may receive its event (else
     * EACCES: denied, it stays queued); events = expiries since the last delivery.
     */
    static int timerPortCallback(Object arg, int[] events, int pid, int flag, Kevent kev, Proc curproc) {
        Itimer it = (Itimer) arg;
        it.itMutex.enter();
        try {
            if (curproc != it.itProc) {
                if (it.itPort.sys.tracer != null) {
                    // the retriever's step (its thread, its process), as port_fd_callback's record
                    PortSubr.trace(it.itPort, Action.TIMER_PORT_CALLBACK, curproc.pid, "timer", it.itId, "error",
                            Errno.EACCES.name(), "owner", it.itProc.pid);
                }
                return Errno.EACCES.code;
            }
            events[0] = it.itPending;
            it.itPending = 0;
            return 0;
        } finally {
            it.itMutex.exit();
        }
    }

    /**
     * timer_close_port (timer.c): the port is closed by process {@code pid}; each of its
     * timers on this port loses port notification and its slot is taken back and freed.
     */
    static void timerClosePort(Object arg, int portFd, int pid, int lastclose) {
        Port pp = (Port) arg;
        State st = state(pp.sys);
        List<Itimer> mine;
        synchronized (st) {
            TreeMap<Integer, Itimer> table = st.pItimer.get(pid);
            mine = table == null ? List.of() : new ArrayList<>(table.values());
        }
        for (Itimer it : mine) {
            Kevent pev = null;
            it.itMutex.enter();
            if (it.itPortev != null && it.itPort == pp) {
                pev = it.itPortev;
                it.itPortev = null;
                it.itFlagPort = false;
                if (it.itPort.sys.tracer != null) {
                    traceTimer(it, Action.TIMER_CLOSE_PORT, "kev", pev.id, "lastclose", lastclose);
                }
            }
            it.itMutex.exit();
            if (pev != null) {
                PortSubr.portRemoveDoneEvent(pev);
                PortSubr.portFreeEvent(pev);
            }
        }
    }

    /**
     * timer_delete: stop the timer; if it still notifies a port, drop the source's reference,
     * take its slot back and free it. EINVAL: no such timer.
     */
    public static void timerDelete(Proc p, int id) throws PortException {
        State st = state(p.sys());
        Itimer it;
        synchronized (st) {
            TreeMap<Integer, Itimer> table = st.pItimer.get(p.pid);
            it = table == null ? null : table.remove(id);
            if (it == null) {
                throw new PortException(Errno.EINVAL);
            }
            if (it.clock != null) {
                it.clock.cancel(false);
                it.clock = null;
            }
        }
        Kevent pev = null;
        Port pp = null;
        it.itMutex.enter();
        if (it.itPortev != null) {
            pev = it.itPortev;
            pp = it.itPort;
            it.itPortev = null;
            it.itFlagPort = false;
            it.itPending = 0;
            if (it.itPort.sys.tracer != null) {
                traceTimer(it, Action.TIMER_DELETE, "kev", pev.id);
            }
        }
        it.itMutex.exit();
        if (pev != null) {
            PortSubr.portDissociateKsource(pp, Ports.PORT_SOURCE_TIMER);
            PortSubr.portRemoveDoneEvent(pev);
            PortSubr.portFreeEvent(pev);
        }
    }

    /**
     * timer_settime on the real clock: first expiry after {@code valueNanos}, then every
     * {@code intervalNanos} (0: once); {@code valueNanos == 0} disarms. Real-thread runtime
     * only (ENOTSUP on the deterministic one, whose expiries are timerExpire). EINVAL: no such
     * timer or a negative time.
     */
    public static void timerSettime(Proc p, int id, long valueNanos, long intervalNanos) throws PortException {
        if (!(p.sys().sched instanceof RealSched)) {
            throw new PortException(Errno.ENOTSUP);
        }
        if (valueNanos < 0 || intervalNanos < 0) {
            throw new PortException(Errno.EINVAL);
        }
        State st = state(p.sys());
        Itimer it = grab(p, id);
        synchronized (st) {
            if (it.clock != null) {
                it.clock.cancel(false);
                it.clock = null;
            }
            if (valueNanos == 0) {
                return;
            }
            if (st.clock == null) {
                st.clock = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "eventports-timer");
                    t.setDaemon(true);
                    return t;
                });
            }
            Runnable fire = () -> timerFire(it);
            it.clock = intervalNanos == 0
                    ? st.clock.schedule(fire, valueNanos, TimeUnit.NANOSECONDS)
                    : st.clock.scheduleAtFixedRate(fire, valueNanos, intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** timer_grab: the live timer {@code id} of {@code p}, else EINVAL. */
    private static Itimer grab(Proc p, int id) throws PortException {
        State st = state(p.sys());
        synchronized (st) {
            TreeMap<Integer, Itimer> table = st.pItimer.get(p.pid);
            Itimer it = table == null ? null : table.get(id);
            if (it == null) {
                throw new PortException(Errno.EINVAL);
            }
            return it;
        }
    }

    /** Trace a step of {@code it} on its port (callers test the tracer first), with it_mutex held. */
    private static void traceTimer(Itimer it, Action action, Object... kv) {
        Object[] all = new Object[kv.length + 2];
        all[0] = "timer";
        all[1] = it.itId;
        System.arraycopy(kv, 0, all, 2, kv.length);
        PortSubr.trace(it.itPort, action, it.itProc.pid, all);
    }
}
