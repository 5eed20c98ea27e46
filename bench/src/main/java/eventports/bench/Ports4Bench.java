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

    /** The Port behind {@code fd}, for observing its queue between measured operations (Proc.file: no getf reference). */
    static Port portOf(Proc proc, int fd) {
        FileObj f = proc.file(fd);
        if (f == null || !(f.vnode() instanceof Port)) {
            throw new IllegalStateException("no port behind fd " + fd);
        }
        return (Port) f.vnode();
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
