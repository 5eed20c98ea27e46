package eventports.kernel;

import eventports.sched.KMutex;
import eventports.sched.LeafLock;
import eventports.sched.Sched;
import eventports.trace.TraceSink;
import eventports.trace.Tracer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated system: processes with descriptor tables, the global port count
 * (port_control), the limits, the profile, the layer (the descriptor layer on, or portfs on
 * its own), the scheduler seam and the trace sink. Everything port.c reaches through curproc,
 * rctls or port_control lives here.
 */
public final class PortSystem {
    public final Profile profile;
    /** The descriptor layer on (the default, stock illumos) or portfs on its own. */
    public final Layer layer;
    public final Limits limits;
    public final Sched sched;
    /** Null when tracing is off: emission sites test it once. */
    public final Tracer tracer;
    /** port_control.pc_mutex and pc_nents: ports in the whole system (port.c:739-779). */
    final KMutex pcMutex;
    int pcNents;
    /** The descriptor tables' lock (a leaf): every table, uf_refcnt, the threads in calls, f_count. */
    final LeafLock fileLock = new LeafLock("fileLock");
    private final AtomicInteger nextPid = new AtomicInteger(1);
    private final AtomicInteger nextObject = new AtomicInteger(1);
    private final AtomicLong nextKevent = new AtomicLong(1);
    private final Map<Integer, Proc> procs = new ConcurrentHashMap<>();
    /** Injected implementation mistakes (tests of the checkers only); empty in normal use. */
    private final java.util.Set<CoreFault> faults = java.util.EnumSet.noneOf(CoreFault.class);
    /** The kernel globals of each event source (eventports.sources), made on first use. */
    private final Map<Class<?>, Object> sourceState = new ConcurrentHashMap<>();

    public PortSystem(Profile profile, Limits limits, Sched sched, TraceSink sink) {
        this(profile, Layer.DESCRIPTORS, limits, sched, sink);
    }

    public PortSystem(Profile profile, Layer layer, Limits limits, Sched sched, TraceSink sink) {
        this.profile = profile;
        this.layer = layer;
        this.limits = limits;
        this.sched = sched;
        this.tracer = sink == null ? null : new Tracer(sink, sched::currentThreadName);
        this.pcMutex = sched.newMutex("port_control.pc_mutex");
    }

    public PortSystem(Profile profile, Sched sched) {
        this(profile, Limits.ILLUMOS_DEFAULTS, sched, null);
    }

    /** A new process with an empty descriptor table. */
    public Proc spawn() {
        Proc p = new Proc(this, nextPid.getAndIncrement(), 3);
        procs.put(p.pid, p);
        return p;
    }

    Proc forkOf(Proc parent) {
        Proc child = new Proc(this, nextPid.getAndIncrement(), 0);
        procs.put(child.pid, child);
        return child;
    }

    /**
     * A call died with an unchecked exception, possibly inside a critical section (where illumos
     * would panic): release whatever kernel mutex the calling thread still holds, so that one
     * broken call cannot wedge the port for every later caller. The caller rethrows.
     */
    void callDied() {
        sched.releaseHeld();
    }

    /** The first exception the trace sink threw (the trace is then incomplete), or null. */
    public RuntimeException traceFailure() {
        return tracer == null ? null : tracer.failure();
    }

    public Proc proc(int pid) {
        return procs.get(pid);
    }

    /** Ports in the system (port_control.pc_nents). */
    public int portCount() {
        pcMutex.enter();
        try {
            return pcNents;
        } finally {
            pcMutex.exit();
        }
    }

    /** The per-system state of an event source, made by {@code make} on first use. */
    public <T> T sourceState(Class<T> type, java.util.function.Function<PortSystem, T> make) {
        return type.cast(sourceState.computeIfAbsent(type, k -> make.apply(this)));
    }

    /** The per-system state of an event source, or null if it was never used. */
    public <T> T sourceStateIfAny(Class<T> type) {
        return type.cast(sourceState.get(type));
    }

    int newObjectId() {
        return nextObject.getAndIncrement();
    }

    /** A trace name for a slot being allocated: a fresh number while tracing, else 0 (no shared counter). */
    long newKeventId() {
        return tracer == null ? 0 : nextKevent.getAndIncrement();
    }

    boolean fixes(Fix f) {
        return profile.fixes(f);
    }

    /** Turn on a deliberate mistake (see {@link CoreFault}); call before the system is used. */
    public PortSystem inject(CoreFault f) {
        faults.add(f);
        return this;
    }

    boolean faulty(CoreFault f) {
        return !faults.isEmpty() && faults.contains(f);
    }
}
