package eventports.bench;

import eventports.kernel.FileObj;
import eventports.kernel.Limits;
import eventports.kernel.Port;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.sched.RealSched;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;
import eventports.trace.TraceSink;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.LongAdder;

/** Shared set-up: the illumos profile on real threads, with one of the trace sinks. */
final class Ports4Bench {
    private Ports4Bench() {
    }

    /** Capacity of every bounded queue, = the default process.max-port-events of a port. */
    static final int CAPACITY = Limits.ILLUMOS_DEFAULTS.portMaxEvents();
    /** Batch size of port_getn and drainTo. */
    static final int BATCH = 64;

    /** Trace modes: off (sink null), drop (records built, then dropped), count, memory. */
    static TraceSink sink(String mode) {
        switch (mode) {
            case "off":
                return null;
            case "drop":
                return r -> { };
            case "count":
                return new CountingSink();
            case "memory":
                return new MemorySink();
            default:
                throw new IllegalArgumentException("trace mode " + mode);
        }
    }

    static Proc newProc(String traceMode) {
        PortSystem sys = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS, new RealSched(), sink(traceMode));
        return sys.spawn();
    }

    /**
     * The Port behind {@code fd}, for observing its queue between measured operations. The core
     * has no public getf; set-up code reaches it by reflection rather than widening the API.
     */
    static Port portOf(Proc proc, int fd) {
        try {
            Method getf = Proc.class.getDeclaredMethod("getf", int.class);
            getf.setAccessible(true);
            return (Port) ((FileObj) getf.invoke(proc, fd)).vnode();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the port behind fd " + fd, e);
        }
    }

    /** The cheapest sink that still looks at every record. */
    static final class CountingSink implements TraceSink {
        final LongAdder count = new LongAdder();

        @Override
        public void record(TraceRecord r) {
            count.increment();
        }
    }
}
