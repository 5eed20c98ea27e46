package eventports.bench;

import eventports.kernel.PortException;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/**
 * The per-event cost of {@link PerEvent} as a paired measurement: one invocation runs
 * {@value #ROUNDS} operations of the port, then {@value #ROUNDS} of LinkedBlockingQueue, each
 * timed in the thread's CPU time, and adds them to the iteration's counters. The two sides
 * alternate every few hundred microseconds, so whatever else the machine runs disturbs both
 * alike, and the ratio of an iteration's two sums is the ratio of the costs; BenchRunner
 * reports its median over the iterations with the interquartile spread. (JMH runs
 * benchmarks one after another, so the ratio of two separate benchmarks also carries the
 * difference between two stretches of a shared machine's load.)
 *
 * <p>{@code port}: port_getn into the caller's list where the core has it, else the
 * List-returning call (a core from before issue 16).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class PairedCost {
    static final int ROUNDS = 32;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Param({"1", "64"})
    public int batch;

    PerEvent work;
    PerEvent.Caller caller;

    /** CPU nanoseconds spent on each side in the iteration, and the events each moved. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        public long portNanos;
        public long lbqNanos;
        public long events;

        @Setup(Level.Iteration)
        public void reset() {
            portNanos = 0;
            lbqNanos = 0;
            events = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() throws PortException {
        work = new PerEvent();
        work.batch = batch;
        work.setup();
        caller = BenchRunner.CALLER_LIST ? new PerEvent.Caller() : null;
    }

    @Benchmark
    public long paired(Cpu cpu) throws PortException {
        long t0 = THREADS.getCurrentThreadCpuTime();
        long n = 0;
        for (int i = 0; i < ROUNDS; i++) {
            n += caller != null ? work.portList(caller) : work.port();
        }
        long t1 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < ROUNDS; i++) {
            n += work.lbq();
        }
        long t2 = THREADS.getCurrentThreadCpuTime();
        cpu.portNanos += t1 - t0;
        cpu.lbqNanos += t2 - t1;
        cpu.events += ROUNDS * PerEvent.EVENTS;
        return n;
    }
}
