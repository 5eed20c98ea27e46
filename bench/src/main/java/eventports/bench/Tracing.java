package eventports.bench;

import eventports.kernel.GetnResult;
import eventports.kernel.Limits;
import eventports.kernel.PortSystem;
import eventports.kernel.Profile;
import eventports.sched.RealSched;
import eventports.trace.TraceSink;
import eventports.kernel.PortException;
import eventports.kernel.Proc;
import eventports.kernel.Timeout;
import eventports.trace.MemorySink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The cost of tracing, single-threaded so that only CPU work is measured: one operation sends
 * 64 events with port_send and retrieves them with one port_getn(max 64, nget 64).
 * {@code trace}: off (no sink: every emission site is one null check), drop (records are built
 * and dropped), count (a LongAdder sink), memory (MemorySink, cleared after every operation so
 * that the heap stays bounded; the records still have to be allocated and stored).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class Tracing {
    static final Object ITEM = "e";

    @Param({"off", "drop", "count", "memory"})
    public String trace;

    Proc proc;
    int port;
    MemorySink memory;

    @Setup(Level.Trial)
    public void setup() throws PortException {
        TraceSink sink = Ports4Bench.sink(trace);
        memory = sink instanceof MemorySink ? (MemorySink) sink : null;
        proc = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS, new RealSched(), sink).spawn();
        port = proc.portCreate();
    }

    @Benchmark
    public int sendGetn() throws PortException {
        for (int i = 0; i < Ports4Bench.BATCH; i++) {
            proc.portSend(port, 1, ITEM);
        }
        GetnResult r = proc.portGetn(port, Ports4Bench.BATCH, Ports4Bench.BATCH, Timeout.POLL);
        if (memory != null) {
            memory.clear();
        }
        return r.nget();
    }
}
