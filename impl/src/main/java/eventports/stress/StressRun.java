package eventports.stress;

import eventports.kernel.Errno;
import eventports.kernel.Fix;
import eventports.kernel.GetnResult;
import eventports.kernel.Limits;
import eventports.kernel.PortEvent;
import eventports.kernel.PortException;
import eventports.kernel.PortSystem;
import eventports.kernel.Ports;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.SeedCrash;
import eventports.kernel.SendnResult;
import eventports.kernel.Timeout;
import eventports.sched.RealSched;
import eventports.trace.TraceRecord;
import eventports.trace.TraceSink;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One stress run on real threads ({@link RealSched}) with full event accounting.
 *
 * <h2>What runs</h2>
 * <ul>
 *   <li><b>Long-lived processes</b> P0..P3: P0 creates the ports R0..R2 and forks P1..P3, so
 *       all four share them. Each process runs one sender (port_send, port_sendn to 2-3 of its
 *       descriptors — some may be closed: EBADF entries —, port_dispatch AIO/MQ, mostly
 *       NOSHARE) and two getters (port_get / port_getn with random max and nget, timeouts
 *       null, zero or 1-20 ms, and the occasional count query).</li>
 *   <li><b>Chaos</b>: interrupts random getters (EINTR), sets and clears alerts (SET / UPDATE,
 *       random owner), makes each of P1..P3 close one of its R descriptors once (a
 *       per-process close racing with everything; half of them while that process owns the
 *       alert, which the close must clear), and forks short-lived processes from P0 that
 *       dispatch NOSHARE events and exit — their events are marked FREE and discarded.</li>
 *   <li><b>Last-close cycles</b>: P0 creates a port D, forks Q1 and Q2, closes its own D; each
 *       Q runs a sender (D, and shareable events to the R ports) and getters on D; then the
 *       senders stop, Q1 closes
 *       D (per-process), Q2 sends a burst to D and does the <em>last close</em>. How that close
 *       meets the getters depends on the profile ({@link CycleMode}): in CORRECTED it races
 *       with four getters; in ILLUMOS, where a racing close with two or more threads inside
 *       can reach the seed's NULL dereference (port.c:1720) or a stranded closer, every other
 *       cycle joins the getters first and the others race with one single getter thread,
 *       which cannot reach either. Then Q1 and Q2 exit (per-process closes of the R ports).</li>
 *   <li><b>End</b>: stop chaos and cycles, then senders, then getters (interrupting them until
 *       they have all left); drain every R port from every process that still holds it
 *       (zero-timeout port_getn until nothing comes); every process exits, which makes the
 *       last closes of R0..R2.</li>
 * </ul>
 * Senders never run during a last close of their port: in illumos the descriptor layer
 * (fio.c closeandsetf) makes a close wait for the process's own calls using the
 * descriptor, a layer this reference does not model; a send racing with the last close here
 * could queue an event on a port whose close has already discarded its queue.
 *
 * <h2>Accounting</h2>
 * Every send call carries a unique user value; an event is (port, user value). Events the
 * seed drops without delivering, and where this run can reach them:
 * <ul>
 *   <li>FREE events: port_discard_events (per-process close, port_vnops.c) marks a closing process's
 *       queued NOSHARE events FREE; the next retriever discards them unseen (port.c:1396-1404) —
 *       trace {@code port_copy_event outcome=discard};</li>
 *   <li>the queue at the last close: port_close_events discards every event still queued
 *       (port_vnops.c, port_subr.c) — trace {@code port_close_events};</li>
 *   <li>lost: a retriever that is last out of a closing port returns EBADFD and drops the
 *       events it had already unlinked (port.c:1491-1500) — trace
 *       {@code port_unblock lost=N}; the N events are that thread's {@code deliver} records
 *       since its {@code portnowait} / {@code port_block} (the start of its pass). Only a last close racing with a retriever reaches it, and
 *       the CORRECTED profile's CloseCopyout fix returns those events instead (then traced
 *       {@code port_unblock closing=true} and counted as delivered).</li>
 * </ul>
 * (copyout EFAULT, port.c:1524-1527, also drops events; user-space pointers do not exist here.)
 * The check: every sent event is in exactly one of delivered (by a getter), drained, discarded
 * or lost; nothing is delivered twice; nothing unsent appears; and the trace's deliveries
 * (minus the lost ones) are exactly what the getters received. The trace also ties each kevent
 * to the send that made it: a thread's {@code port_send_event} records, in order, are its
 * successful sends, in order. All of it is checked as the run goes ({@link AccountingSink}:
 * each call against the records its thread made during it, each kevent retired by its one
 * fate), so memory stays bounded by what is in flight and a run may last as long as asked
 * ({@code eventports stress --seconds S}); chaos's short-lived processes run on threads of
 * their own, so that chaos never sleeps on a full port and always goes on interrupting
 * getters (a long run could otherwise end with every sender asleep on one full port and every
 * getter asleep, with no timeout, on another).
 */
public final class StressRun {
    static final int ACTIVE_PROCS = 4;
    static final int R_PORTS = 3;
    public static final int MAX_EVENTS = 512;
    static final long JOIN_MILLIS = 20_000;
    /** Failure reports kept (the first ones; a run stops at its end anyway). */
    static final int MAX_FAILURES = 100;

    final Profile profile;
    final long seed;
    final long runMillis;
    final AccountingSink sink;
    final PortSystem sys;

    private final ReentrantLock forkLock = new ReentrantLock();
    private final AtomicLong nextUser = new AtomicLong(1);
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    /** The run's threads still alive (each removes itself as it ends: a long run starts millions). */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger startedThreads = new AtomicInteger();
    private final Set<Thread> liveGetters = ConcurrentHashMap.newKeySet();
    /** The threads of chaos's short-lived processes (chaos alone starts them). */
    private final Set<Thread> shortLived = ConcurrentHashMap.newKeySet();
    /** Events the API reported sent, received by a getter (or the chaos thread's poll), and drained at the end. */
    private final AtomicLong apiSent = new AtomicLong();
    private final AtomicLong apiDelivered = new AtomicLong();
    private final AtomicLong drained = new AtomicLong();

    private final AtomicInteger processes = new AtomicInteger();
    private final AtomicInteger aliveThreads = new AtomicInteger();
    private final AtomicInteger peakThreads = new AtomicInteger();
    private final AtomicInteger perProcessCloses = new AtomicInteger();
    private final AtomicInteger lastCloses = new AtomicInteger();
    private final AtomicInteger cycles = new AtomicInteger();
    private final AtomicLong eintr = new AtomicLong();
    private final AtomicLong etime = new AtomicLong();
    private final AtomicLong ebadfd = new AtomicLong();
    private final AtomicLong ebadf = new AtomicLong();
    private final AtomicLong eagain = new AtomicLong();
    private final AtomicLong alertsReceived = new AtomicLong();
    private final AtomicLong alertsSet = new AtomicLong();
    private final AtomicLong interruptsSent = new AtomicLong();
    private final AtomicLong getCalls = new AtomicLong();
    private final AtomicLong sendCalls = new AtomicLong();

    /** Alerts on a port that is last-closed under racing getters: only with the AlertReturn fix. */
    private final boolean alertsOnD;
    private volatile boolean stopSenders;
    private volatile boolean aborted;
    private volatile boolean stopGetters;
    private long startNanos;
    /** Time the accounting took (reported, not asserted). */
    public long checkMillis;

    private Proc[] procs;
    private int[] rFds;
    private final Map<Proc, View> views = new ConcurrentHashMap<>();

    /** What the run measured; {@link #toString} is the line the test prints. */
    public record Figures(Profile profile, long seed, long wallMillis, int threads, int peakThreads, int processes, int cycles,
                   int lastCloses, int racingLastCloses, int maxThrcntAtLastClose, int perProcessCloses, long sent, long delivered,
                   long drained, long discardedFree, long discardedClose, long lost, long duplicates,
                   long denied, long interrupts, long eintr, long etime, long ebadfd, long alertsSet, long alertsReceived,
                   long getCalls, long sendCalls, long traceRecords) {
        public long discarded() {
            return discardedFree + discardedClose;
        }

        @Override
        public String toString() {
            return String.format("[stress %s] seed=%d wall=%dms threads=%d (at most %d at once) processes=%d ports=%d"
                            + " (last closes %d, with getters inside %d, max thrcnt %d; per-process closes %d)"
                            + " | sent=%d delivered=%d drained=%d discarded=%d (FREE %d, at last close %d)"
                            + " lost=%d duplicated=%d | denied=%d interrupts=%d EINTR=%d ETIME=%d EBADFD=%d"
                            + " alerts set=%d received=%d | get calls=%d send calls=%d trace records=%d",
                    profile.id(), seed, wallMillis, threads, peakThreads, processes, lastCloses, lastCloses,
                    racingLastCloses, maxThrcntAtLastClose, perProcessCloses, sent, delivered, drained, discarded(), discardedFree,
                    discardedClose, lost, duplicates, denied, interrupts, eintr, etime, ebadfd, alertsSet, alertsReceived,
                    getCalls, sendCalls, traceRecords);
        }
    }

    /**
     * In {@code layer}: the descriptor layer on (stock illumos) or portfs on its own. Every
     * record also goes to {@code trace} if not null (a file, or memory for a test that validates
     * the run against the spec); the accounting itself keeps only what is in flight.
     */
    public StressRun(Profile profile, eventports.kernel.Layer layer, long seed, long runMillis, TraceSink trace) {
        this.sink = new AccountingSink(trace);
        this.profile = profile;
        this.seed = seed;
        this.runMillis = runMillis;
        Limits limits = Limits.ILLUMOS_DEFAULTS.withPortMaxEvents(MAX_EVENTS);
        this.sys = new PortSystem(profile, layer, limits, new RealSched(), sink);
        this.alertsOnD = profile.fixes(Fix.ALERT_RETURN);
    }

    /** Turn on a deliberate mistake of the core (tests of the checkers: a run whose trace validation must fail). */
    public StressRun inject(eventports.kernel.CoreFault f) {
        sys.inject(f);
        return this;
    }

    // ---- descriptors as a process's threads see them ----------------------------------------

    /** The descriptors of one process that its threads pick from (a closed one may linger: EBADF). */
    static final class View {
        private final List<Integer> fds = new ArrayList<>();

        synchronized void add(int fd) {
            fds.add(fd);
        }

        synchronized void remove(int fd) {
            fds.remove(Integer.valueOf(fd));
        }

        synchronized int pick(Random rnd) {
            return fds.isEmpty() ? -1 : fds.get(rnd.nextInt(fds.size()));
        }

        synchronized boolean contains(int fd) {
            return fds.contains(fd);
        }

        synchronized int[] all() {
            return fds.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private View view(Proc p) {
        return views.computeIfAbsent(p, k -> new View());
    }

    private int portOf(int fd) {
        Integer id = sink.portOfFd.get(fd);
        if (id == null) {
            throw new IllegalStateException("no port_create record for fd " + fd);
        }
        return id;
    }

    private void fail(String what) {
        if (failures.size() < MAX_FAILURES) {   // a broken run of hours must not fill the heap with reports
            failures.add("[" + Thread.currentThread().getName() + "] " + what);
        }
    }

    private void fail(String what, Throwable t) {
        java.io.StringWriter sw = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(sw));
        fail(what + ": " + sw);
    }

    private Thread start(String name, Runnable body) {
        Thread t = new Thread(() -> {
            peakThreads.accumulateAndGet(aliveThreads.incrementAndGet(), Math::max);
            try {
                body.run();
            } catch (Throwable e) {
                fail("thread died", e);
            } finally {
                aliveThreads.decrementAndGet();
                threads.remove(Thread.currentThread());
                shortLived.remove(Thread.currentThread());
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        startedThreads.incrementAndGet();
        t.start();
        return t;
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    // ---- senders ------------------------------------------------------------------------------

    /**
     * A sender: port_send, port_sendn, port_dispatch. After each call, the events it reports as
     * queued must be, in order, the port_send_event records the call made ({@link #sendCall}).
     */
    private final class Sender implements Runnable {
        final Proc proc;
        final int[] allFds;
        final BooleanSupplier stop;
        final Random rnd;
        final int noshareWeight;

        Sender(Proc proc, int[] allFds, BooleanSupplier stop, Random rnd, int noshareWeight) {
            this.proc = proc;
            this.allFds = allFds;
            this.stop = stop;
            this.rnd = rnd;
            this.noshareWeight = noshareWeight;
        }

        @Override
        public void run() {
            while (!stop.getAsBoolean()) {
                boolean full = sendOne(proc, rnd, allFds, noshareWeight);
                if (full) {
                    LockSupport.parkNanos(200_000);  // the port is full (EAGAIN): let getters run
                }
            }
        }
    }

    /** One random send call from the current thread; true if it hit EAGAIN. */
    private boolean sendOne(Proc proc, Random rnd, int[] allFds, int noshareWeight) {
        sendCalls.incrementAndGet();
        long user = nextUser.getAndIncrement();
        int events = 1 + rnd.nextInt(0xffff);
        int op = rnd.nextInt(100);
        int fd = view(proc).pick(rnd);
        if (fd < 0) {
            return false;
        }
        List<Long> sent = new ArrayList<>(3);
        sink.beginCall(user);
        try {
            if (op < 40) {
                proc.portSend(fd, events, user);
                sent.add(AccountingSink.key(portOf(fd), user));
            } else if (op < 65) {
                int n = Math.min(allFds.length, 2 + rnd.nextInt(2));
                int[] list = Arrays.copyOf(shuffled(allFds, rnd), n);
                SendnResult r = proc.portSendn(list, events, user);
                int ok = 0;
                boolean full = false;
                for (int i = 0; i < n; i++) {
                    int err = r.errors() == null ? 0 : r.errors()[i];
                    if (err == 0) {
                        sent.add(AccountingSink.key(portOf(list[i]), user));
                        ok++;
                    } else if (err == Errno.EBADF.code) {
                        ebadf.incrementAndGet();
                    } else if (err == Errno.EAGAIN.code) {
                        eagain.incrementAndGet();
                        full = true;
                    } else {
                        fail("port_sendn entry " + i + " failed with errno " + err);
                    }
                }
                if (ok != r.count()) {
                    fail("port_sendn returned " + r.count() + " but " + ok + " entries succeeded");
                }
                return full;
            } else {
                boolean noshare = rnd.nextInt(100) < noshareWeight;
                int source = rnd.nextBoolean() ? Ports.PORT_SOURCE_AIO : Ports.PORT_SOURCE_MQ;
                proc.portDispatch(fd, source, events, user, user, noshare);
                sent.add(AccountingSink.key(portOf(fd), user));
            }
        } catch (PortException e) {
            if (e.errno() == Errno.EBADF) {
                ebadf.incrementAndGet();          // the process closed that descriptor
            } else if (e.errno() == Errno.EAGAIN) {
                eagain.incrementAndGet();         // port_max_events reached
                return true;
            } else {
                fail("send failed with " + e.errno());
            }
        } finally {
            sendCall(sent);
        }
        return false;
    }

    /** The send call of the current thread returned, having queued {@code sent}. */
    private void sendCall(List<Long> sent) {
        sink.endCall(sent, List.of(), Thread.currentThread().getName() + "'s send");
        apiSent.addAndGet(sent.size());
    }

    /** The get call of the current thread returned {@code got}. */
    private void getCall(List<Long> got, AtomicLong counter) {
        sink.endCall(List.of(), got, Thread.currentThread().getName() + "'s get");
        counter.addAndGet(got.size());
    }

    private static int[] shuffled(int[] a, Random rnd) {
        int[] c = a.clone();
        for (int i = c.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = c[i];
            c[i] = c[j];
            c[j] = t;
        }
        return c;
    }

    // ---- getters ------------------------------------------------------------------------------

    private final class Getter implements Runnable {
        final String name;
        final Proc proc;
        final View view;
        final BooleanSupplier stop;
        final boolean leaveOnEbadf;
        final Random rnd;
        /** What the current call received. */
        final List<Long> got = new ArrayList<>();

        Getter(String name, Proc proc, View view, BooleanSupplier stop, boolean leaveOnEbadf, Random rnd) {
            this.name = name;
            this.proc = proc;
            this.view = view;
            this.stop = stop;
            this.leaveOnEbadf = leaveOnEbadf;
            this.rnd = rnd;
        }

        @Override
        public void run() {
            liveGetters.add(Thread.currentThread());
            try {
                while (!stop.getAsBoolean()) {
                    int fd = view.pick(rnd);
                    if (fd < 0) {
                        if (leaveOnEbadf) {
                            return;
                        }
                        Thread.yield();
                        continue;
                    }
                    if (!getOne(fd)) {
                        return;
                    }
                }
            } finally {
                liveGetters.remove(Thread.currentThread());
            }
        }

        /** One random get call; false when the thread should leave. */
        private boolean getOne(int fd) {
            getCalls.incrementAndGet();
            int port = portOf(fd);
            Timeout to;
            switch (rnd.nextInt(3)) {
                case 0:
                    to = null;
                    break;
                case 1:
                    to = Timeout.POLL;
                    break;
                default:
                    to = Timeout.ofMillis(1 + rnd.nextInt(20));
                    break;
            }
            int op = rnd.nextInt(100);
            got.clear();
            sink.beginCall(-1);
            try {
                if (op < 40) {
                    take(port, proc.portGet(fd, to));
                } else if (op < 95) {
                    int max = 1 + rnd.nextInt(16);
                    int nget = rnd.nextInt(12) == 0 ? 0 : 1 + rnd.nextInt(Math.min(max, 4));
                    GetnResult r = proc.portGetn(fd, max, nget, to);
                    if (r.nget() != r.events().size()) {
                        fail("port_getn: nget " + r.nget() + " but " + r.events().size() + " events");
                    }
                    if (r.events().size() > max) {
                        fail("port_getn returned " + r.events().size() + " events, max " + max);
                    }
                    for (PortEvent e : r.events()) {
                        take(port, e);
                    }
                } else {
                    GetnResult r = proc.portGetn(fd, 0, 0, to);       // count query
                    if (!r.events().isEmpty() || r.nget() < 0) {
                        fail("count query returned " + r);
                    }
                }
            } catch (PortException e) {
                for (PortEvent ev : e.events()) {       // ETIME may carry events (libc view)
                    take(port, ev);
                }
                switch (e.errno()) {
                    case EINTR:
                        eintr.incrementAndGet();
                        break;
                    case ETIME:
                        etime.incrementAndGet();
                        break;
                    case EBADFD:
                        ebadfd.incrementAndGet();       // the port is closing (port.c:1221-1224)
                        break;
                    case EBADF:
                        ebadf.incrementAndGet();        // this process closed the descriptor
                        view.remove(fd);
                        return !leaveOnEbadf;
                    default:
                        fail("get failed with " + e.errno());
                        return false;
                }
                if (e.errno() != Errno.ETIME && !e.events().isEmpty()) {
                    fail(e.errno() + " carried " + e.events().size() + " events");
                }
            } catch (SeedCrash c) {
                fail("SeedCrash (the port's mutex stays held)", c);
                return false;
            } finally {
                getCall(got, apiDelivered);
            }
            return true;
        }

        private void take(int port, PortEvent e) {
            if (e.source() == Ports.PORT_SOURCE_ALERT) {
                alertsReceived.incrementAndGet();
                return;
            }
            takeEvent(port, e, got);
        }
    }

    private void takeEvent(int port, PortEvent e, List<Long> into) {
        if (!(e.user() instanceof Long)) {
            fail("event with a foreign user value: " + e);
            return;
        }
        long user = (Long) e.user();
        if (e.source() == Ports.PORT_SOURCE_USER ? e.object() != 0 : e.object() != user) {
            fail("event object does not match what was sent: " + e);
        }
        into.add(AccountingSink.key(port, user));
    }

    // ---- chaos: interrupts, alerts, per-process closes, short-lived processes ----------------

    private void chaos(Random rnd) {
        // each of P1..P3 closes one R descriptor once, at a random moment
        long[] closeAt = new long[ACTIVE_PROCS];
        int[] closeFd = new int[ACTIVE_PROCS];
        for (int i = 1; i < ACTIVE_PROCS; i++) {
            closeAt[i] = runMillis / 5 + rnd.nextInt((int) Math.max(1, runMillis * 3 / 5));
            closeFd[i] = rFds[rnd.nextInt(R_PORTS)];
        }
        boolean[] closed = new boolean[ACTIVE_PROCS];
        Proc p0 = procs[0];
        try {
            while (elapsedMillis() < runMillis && !aborted) {
                LockSupport.parkNanos(rnd.nextInt(2_000_000));
                for (int i = 1; i < ACTIVE_PROCS; i++) {
                    if (!closed[i] && elapsedMillis() >= closeAt[i]) {
                        closed[i] = true;
                        perProcessClose(procs[i], closeFd[i], rnd.nextBoolean());
                    }
                }
                int r = rnd.nextInt(100);
                if (r < 50) {
                    Thread[] live = liveGetters.toArray(new Thread[0]);
                    if (live.length > 0) {
                        live[rnd.nextInt(live.length)].interrupt();
                        interruptsSent.incrementAndGet();
                    }
                } else if (r < 70) {
                    int fd = rFds[rnd.nextInt(R_PORTS)];
                    Proc owner = procs[rnd.nextInt(ACTIVE_PROCS)];
                    if (!view(owner).contains(fd)) {
                        owner = p0;
                    }
                    int flags = rnd.nextBoolean() ? Ports.PORT_ALERT_SET : Ports.PORT_ALERT_UPDATE;
                    owner.portAlert(fd, flags, 1 + rnd.nextInt(100), "alert");
                    alertsSet.incrementAndGet();
                    LockSupport.parkNanos(rnd.nextInt(1_000_000));
                    p0.portAlert(fd, 0, 0, null);
                } else if (r < 80) {
                    // on a thread of its own: its port_dispatch may sleep on a full port, and
                    // chaos must go on interrupting the getters, or a long run can end with every
                    // sender asleep on one full port and every getter asleep, for good, on another
                    Random r2 = new Random(rnd.nextLong());
                    shortLived.add(start("short" + processes.get(), () -> {
                        try {
                            shortLivedProcess(r2);
                        } catch (PortException e) {
                            fail("short-lived process: unexpected " + e.errno(), e);
                        }
                    }));
                }
            }
        } catch (PortException e) {
            fail("chaos: unexpected " + e.errno(), e);
        } finally {
            for (int fd : rFds) {
                try {
                    p0.portAlert(fd, 0, 0, null);
                } catch (PortException e) {
                    fail("clearing an alert: " + e.errno());
                }
            }
        }
    }

    /** A per-process close of a forked descriptor, optionally while the process owns the alert. */
    private void perProcessClose(Proc p, int fd, boolean ownAlert) throws PortException {
        if (ownAlert) {
            p.portAlert(fd, Ports.PORT_ALERT_SET, 99, "owner-alert");
            alertsSet.incrementAndGet();
        }
        p.close(fd);
        view(p).remove(fd);
        perProcessCloses.incrementAndGet();
        if (ownAlert) {
            // the owner's close ended alert mode (port_vnops.c port_close): a poll sees an event or
            // nothing, not the alert
            List<Long> got = new ArrayList<>(1);
            sink.beginCall(-1);
            try {
                PortEvent e = procs[0].portGet(fd, Timeout.POLL);
                if (e.source() == Ports.PORT_SOURCE_ALERT) {
                    fail("alert mode survived its owner's close");
                } else {
                    takeEvent(portOf(fd), e, got);
                }
            } catch (PortException e) {
                if (e.errno() != Errno.ETIME) {
                    fail("poll after the owner's close: " + e.errno());
                }
            } finally {
                getCall(got, apiDelivered);
            }
        }
    }

    /** fork, dispatch a few events (mostly NOSHARE), exit: the NOSHARE ones become FREE. */
    private void shortLivedProcess(Random rnd) throws PortException {
        Proc e;
        forkLock.lock();
        try {
            e = procs[0].fork();
        } finally {
            forkLock.unlock();
        }
        processes.incrementAndGet();
        for (int fd : rFds) {
            view(e).add(fd);
        }
        int n = 1 + rnd.nextInt(6);
        for (int i = 0; i < n; i++) {
            sendOne(e, rnd, rFds, 90);
        }
        e.exit();
        views.remove(e);
        perProcessCloses.addAndGet(R_PORTS);
    }

    // ---- last-close cycles -------------------------------------------------------------------

    private void lastCloseCycles(Random rnd) throws Exception {
        Proc p0 = procs[0];
        int k = 0;
        while (elapsedMillis() < runMillis && !aborted) {
            k++;
            int d;
            Proc[] q = new Proc[2];
            forkLock.lock();                      // no other fork may inherit D
            try {
                d = p0.portCreate();
                q[0] = p0.fork();
                q[1] = p0.fork();
                p0.close(d);                      // per-process: Q1 and Q2 hold D
            } finally {
                forkLock.unlock();
            }
            processes.addAndGet(2);
            perProcessCloses.incrementAndGet();
            CycleMode mode = profile == Profile.ILLUMOS
                    ? (k % 2 == 0 ? CycleMode.LONE_RACER : CycleMode.QUIET)
                    : CycleMode.RACING;
            int[] qFds = new int[R_PORTS + 1];
            qFds[0] = d;
            System.arraycopy(rFds, 0, qFds, 1, R_PORTS);
            AtomicBoolean stopS = new AtomicBoolean();
            AtomicBoolean stopG = new AtomicBoolean();
            List<Thread> qSenders = new ArrayList<>();
            List<Thread> qGetters = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Proc qp = q[i];
                for (int fd : qFds) {
                    view(qp).add(fd);             // what the sender picks from
                }
                View onlyD = new View();          // what the getters pick from
                onlyD.add(d);
                String prefix = "d" + k + "-q" + (i + 1);
                Random sr = new Random(rnd.nextLong());
                // NOSHARE only where the sending process has a getter: an undeliverable event
                // holds its slot, and a port full of them blocks port_dispatch for good
                boolean noshareToD = mode != CycleMode.LONE_RACER || i == 1;
                qSenders.add(start(prefix + "-send", () -> {
                    while (!stopS.get() && !aborted) {
                        boolean full = sr.nextInt(4) != 0  // D three times as often as the R ports
                                ? sendTo(qp, d, sr, noshareToD)
                                : sendOne(qp, sr, qFds, 0);
                        if (full) {
                            LockSupport.parkNanos(200_000);
                        }
                    }
                }));
                int nGetters = mode == CycleMode.LONE_RACER ? i : 2;   // LONE_RACER: Q1 none, Q2 one
                for (int j = 0; j < nGetters; j++) {
                    Getter g = new Getter(prefix + "-get" + j, qp, onlyD, () -> stopG.get() || aborted, true, new Random(rnd.nextLong()));
                    qGetters.add(start(g.name, g));
                }
            }
            Thread.sleep(20 + rnd.nextInt(100));
            stopS.set(true);
            joinAll(qSenders, "cycle sender");
            q[0].close(d);                        // per-process
            view(q[0]).remove(d);
            perProcessCloses.incrementAndGet();
            if (mode == CycleMode.QUIET) {
                stopG.set(true);
                stopAndJoinGetters(qGetters);
                burst(q[1], d, rnd);
                q[1].close(d);                    // nobody inside: the queue is discarded
            } else {
                if (alertsOnD && rnd.nextInt(3) == 0) {
                    q[1].portAlert(d, Ports.PORT_ALERT_SET, 5, "d-alert");   // owner: the last closer
                    alertsSet.incrementAndGet();
                }
                // a burst right before the close, so that the close finds a retriever at work
                burst(q[1], d, rnd);
                q[1].close(d);                    // races with the getters still inside
                stopG.set(true);
                stopAndJoinGetters(qGetters);
            }
            view(q[1]).remove(d);
            lastCloses.incrementAndGet();
            q[0].exit();
            q[1].exit();
            views.remove(q[0]);
            views.remove(q[1]);
            perProcessCloses.addAndGet(2 * R_PORTS);
            cycles.incrementAndGet();
        }
    }

    /**
     * How a last-close cycle ends.
     * <ul>
     *   <li>QUIET (ILLUMOS, odd cycles): the getters are stopped and joined before the last close.</li>
     *   <li>LONE_RACER (ILLUMOS, even cycles): one getter thread on D in all (none in Q1, one in
     *       Q2), and the last close races with it. thrcnt counts the threads inside port_getn,
     *       so it is at most 1 here, and port_check_return_cond, which decrements it first,
     *       always finds 0 and signals the closer: its NULL dereference (port.c:1720, reached only
     *       with thrcnt still &gt; 0 and an empty ring) cannot happen. The lone getter, if it is
     *       retrieving, is necessarily last out: this is how the ILLUMOS run reaches the lost
     *       events of port.c:1491-1500. No alert on D (port.c:1297-1308 would strand the closer).</li>
     *   <li>RACING (CORRECTED): two getters in each of Q1 and Q2 race the last close; alert
     *       mode is set on D before some of them when the profile has the AlertReturn fix.</li>
     * </ul>
     */
    enum CycleMode { QUIET, LONE_RACER, RACING }

    /**
     * Up to 200 port_sends to {@code fd} from the calling thread, which closes it next; stops
     * at EAGAIN (no port_dispatch here: it would wait for a slot nobody may free).
     */
    private void burst(Proc p, int fd, Random rnd) {
        int n = 1 + rnd.nextInt(200);
        for (int i = 0; i < n; i++) {
            sendCalls.incrementAndGet();
            long user = nextUser.getAndIncrement();
            List<Long> sent = new ArrayList<>(1);
            sink.beginCall(user);
            try {
                p.portSend(fd, 1 + rnd.nextInt(0xffff), user);
                sent.add(AccountingSink.key(portOf(fd), user));
            } catch (PortException e) {
                if (e.errno() != Errno.EAGAIN) {
                    fail("burst: " + e.errno());
                }
                eagain.incrementAndGet();
                return;
            } finally {
                sendCall(sent);
            }
        }
    }

    /** A port_send or port_dispatch to {@code fd}; true if the port was full. */
    private boolean sendTo(Proc p, int fd, Random rnd, boolean noshareOk) {
        sendCalls.incrementAndGet();
        long user = nextUser.getAndIncrement();
        List<Long> sent = new ArrayList<>(1);
        sink.beginCall(user);
        try {
            if (rnd.nextBoolean()) {
                p.portSend(fd, 1, user);
            } else {
                p.portDispatch(fd, Ports.PORT_SOURCE_AIO, 1, user, user, noshareOk && rnd.nextInt(10) < 7);
            }
            sent.add(AccountingSink.key(portOf(fd), user));
        } catch (PortException e) {
            if (e.errno() == Errno.EAGAIN) {
                eagain.incrementAndGet();
                return true;
            }
            fail("send to D failed with " + e.errno());
        } finally {
            sendCall(sent);
        }
        return false;
    }

    private void joinAll(List<Thread> ts, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        for (Thread t : ts) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            if (t.isAlive()) {
                throw new AssertionError(what + " " + t.getName() + " is stuck\n" + threadDump());
            }
        }
    }

    /** Stop flag already set: interrupt the getters until every one has left. */
    private void stopAndJoinGetters(List<Thread> ts) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        for (;;) {
            boolean alive = false;
            for (Thread t : ts) {
                if (t.isAlive()) {
                    alive = true;
                    t.interrupt();
                }
            }
            if (!alive) {
                return;
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("getters are stuck\n" + threadDump());
            }
            for (Thread t : ts) {
                t.join(5);
            }
        }
    }

    String threadDump() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        StringBuilder sb = new StringBuilder("---- thread dump (threads of this run still alive) ----\n");
        List<Thread> snapshot = new ArrayList<>(threads);
        for (Thread t : snapshot) {
            if (!t.isAlive()) {
                continue;
            }
            ThreadInfo info = mx.getThreadInfo(t.getId(), 0);
            sb.append('"').append(t.getName()).append("\" ").append(t.getState());
            if (info != null && info.getLockName() != null) {
                sb.append(" on ").append(info.getLockName());
                if (info.getLockOwnerName() != null) {
                    sb.append(" owned by \"").append(info.getLockOwnerName()).append('"');
                }
            }
            sb.append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                sb.append("    at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    // ---- the run ------------------------------------------------------------------------------

    /** The whole run; on failure every thread of it is told to stop and interrupted (best effort). */
    public Figures run() throws Exception {
        try {
            return runAll();
        } finally {
            aborted = true;
            stopSenders = true;
            stopGetters = true;
            for (Thread t : threads) {
                if (t.isAlive()) {
                    t.interrupt();
                }
            }
        }
    }

    private Figures runAll() throws Exception {
        Random master = new Random(seed);
        startNanos = System.nanoTime();
        Proc p0 = sys.spawn();
        processes.incrementAndGet();
        rFds = new int[R_PORTS];
        for (int i = 0; i < R_PORTS; i++) {
            rFds[i] = p0.portCreate();
        }
        procs = new Proc[ACTIVE_PROCS];
        procs[0] = p0;
        for (int i = 1; i < ACTIVE_PROCS; i++) {
            procs[i] = p0.fork();
            processes.incrementAndGet();
        }
        for (Proc p : procs) {
            for (int fd : rFds) {
                view(p).add(fd);
            }
        }
        List<Thread> senders = new ArrayList<>();
        List<Thread> mainGetters = new ArrayList<>();
        for (int i = 0; i < ACTIVE_PROCS; i++) {
            Proc p = procs[i];
            String name = "p" + i + "-send";
            Sender s = new Sender(p, rFds, () -> stopSenders, new Random(master.nextLong()), 80);
            senders.add(start(name, s));
            for (int j = 0; j < 2; j++) {
                Getter g = new Getter("p" + i + "-get" + j, p, view(p), () -> stopGetters, false, new Random(master.nextLong()));
                mainGetters.add(start(g.name, g));
            }
        }
        Random chaosRnd = new Random(master.nextLong());
        Random cycleRnd = new Random(master.nextLong());
        Thread chaos = start("chaos", () -> chaos(chaosRnd));
        Thread cyc = start("cycles", () -> {
            try {
                lastCloseCycles(cycleRnd);
            } catch (AssertionError e) {
                fail(e.getMessage());
            } catch (Exception e) {
                fail("last-close cycle", e);
            }
        });

        // ---- end phase
        long left = runMillis - elapsedMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
        joinAll(List.of(chaos, cyc), "chaos/cycles");
        stopSenders = true;
        joinAll(senders, "sender");
        joinAll(new ArrayList<>(shortLived), "short-lived process");
        stopGetters = true;
        stopAndJoinGetters(mainGetters);
        for (Thread t : new ArrayList<>(threads)) {
            if (t.isAlive()) {
                throw new AssertionError("thread " + t.getName() + " still running\n" + threadDump());
            }
        }
        Thread.interrupted();
        for (int fd : rFds) {
            p0.portAlert(fd, 0, 0, null);
        }
        drain();
        exitAll();
        long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (sys.portCount() != 0) {
            fail("ports left after every process exited: " + sys.portCount());
        }
        long t0 = System.nanoTime();
        Figures f = account(wall);
        checkMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (!failures.isEmpty()) {
            throw new AssertionError(f + "\n" + failures.size() + " failure(s):\n" + String.join("\n", failures));
        }
        return f;
    }

    /** Drain every R port from every process still holding it, until a whole round brings nothing. */
    private void drain() throws PortException {
        boolean any = true;
        while (any) {
            any = false;
            for (Proc p : procs) {
                for (int fd : view(p).all()) {
                    for (;;) {
                        List<Long> got = new ArrayList<>();
                        sink.beginCall(-1);
                        GetnResult r;
                        try {
                            r = p.portGetn(fd, 64, 1, Timeout.POLL);
                            for (PortEvent e : r.events()) {
                                if (e.source() == Ports.PORT_SOURCE_ALERT) {
                                    fail("alert mode at drain time");
                                    return;
                                }
                                takeEvent(portOf(fd), e, got);
                            }
                        } finally {
                            getCall(got, drained);
                        }
                        if (r.nget() == 0) {
                            break;
                        }
                        any = true;
                    }
                }
            }
        }
    }

    /** Every process exits; the last of them makes the last closes of R0..R2. */
    private void exitAll() throws InterruptedException {
        Thread t = start("exit", () -> {
            for (Proc p : procs) {
                try {
                    p.exit();
                } catch (PortException e) {
                    throw new AssertionError("exit of pid " + p.pid + ": " + e.errno());
                }
            }
        });
        t.join(JOIN_MILLIS);
        if (t.isAlive()) {
            throw new AssertionError("the final closes are stuck\n" + threadDump());
        }
        lastCloses.addAndGet(R_PORTS);
    }

    // ---- accounting ---------------------------------------------------------------------------

    /**
     * The end of the run's accounting: each call was already checked against its records
     * (AccountingSink); here every event must have had exactly one fate — nothing still queued
     * once every process has exited — and the totals must add up.
     */
    private Figures account(long wall) {
        sink.failures.forEach(this::fail);
        synchronized (sink.alarms) {
            for (TraceRecord r : sink.alarms) {
                fail("trace shows a seed crash: " + r);
            }
        }
        if (sink.inFlight() != 0) {
            fail(sink.inFlight() + " events still queued after every process exited");
        }
        long sent = apiSent.get();
        if (sent != sink.traceSent.get()) {
            fail("the API queued " + sent + " events, the trace " + sink.traceSent.get());
        }
        if (apiDelivered.get() + drained.get() != sink.traceDelivered.get()) {
            fail("getters received " + (apiDelivered.get() + drained.get()) + " events, the trace delivered "
                    + sink.traceDelivered.get() + " (net of lost)");
        }
        long fates = apiDelivered.get() + drained.get() + sink.discardedFree.get() + sink.discardedClose.get() + sink.lost.get();
        if (fates != sent) {
            fail("sent " + sent + " != delivered " + apiDelivered.get() + " + drained " + drained.get() + " + discarded "
                    + (sink.discardedFree.get() + sink.discardedClose.get()) + " + lost " + sink.lost.get());
        }
        return new Figures(profile, seed, wall, startedThreads.get(), peakThreads.get(), processes.get(), cycles.get(), lastCloses.get(),
                (int) sink.racingLastCloses.get(), (int) sink.maxThrcntAtLastClose.get(), perProcessCloses.get(), sent,
                apiDelivered.get(), drained.get(), sink.discardedFree.get(), sink.discardedClose.get(), sink.lost.get(),
                sink.duplicates.get(), sink.denied.get(), interruptsSent.get(), eintr.get(), etime.get(),
                ebadfd.get(), alertsSet.get(), alertsReceived.get(), getCalls.get(), sendCalls.get(),
                sink.total.get());
    }
}
