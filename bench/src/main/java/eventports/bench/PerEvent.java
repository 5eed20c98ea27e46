package eventports.bench;

import eventports.kernel.GetnResult;
import eventports.kernel.PortEvents;
import eventports.kernel.PortException;
import eventports.kernel.Proc;
import eventports.kernel.Timeout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one event on one thread, with no contention at all: path length and allocation,
 * nothing else. One operation moves {@value #EVENTS} events in rounds of {@code batch}: send
 * {@code batch} events, then take them with one call (port_getn(max batch, nget batch) with a
 * zero timeout; drainTo(list, batch) for the queues). JMH divides by the {@value #EVENTS}
 * events ({@code @OperationsPerInvocation}), so every score is nanoseconds per event, and the
 * gc profiler's {@code gc.alloc.rate.norm} is bytes per event.
 *
 * <p>{@code port}: the List-returning port_getn; {@code portList}: port_getn into the caller's
 * reusable {@link eventports.kernel.PortEvents} (port_event_t list[], as in C). Tracing is off.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class PerEvent {
    static final int EVENTS = 64;
    static final Object ITEM = "e";

    @Param({"1", "64"})
    public int batch;

    Proc proc;
    int port;
    LinkedBlockingQueue<Object> lbq;
    ArrayBlockingQueue<Object> abq;
    final ArrayList<Object> drained = new ArrayList<>(EVENTS);

    @Setup(Level.Trial)
    public void setup() throws PortException {
        proc = Ports4Bench.newProc("off");
        port = proc.portCreate();
        lbq = new LinkedBlockingQueue<>(Ports4Bench.CAPACITY);
        abq = new ArrayBlockingQueue<>(Ports4Bench.CAPACITY);
    }

    /**
     * The caller's port_event_t list, reused by every call. A state of its own, so that the
     * other benchmarks of this class also run against a core that predates PortEvents (the
     * "before" column of bench/RESULTS.md).
     */
    @State(Scope.Thread)
    public static class Caller {
        final PortEvents list = new PortEvents(EVENTS);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int port() throws PortException {
        int n = 0;
        for (int r = 0; r < EVENTS; r += batch) {
            for (int i = 0; i < batch; i++) {
                proc.portSend(port, 1, ITEM);
            }
            GetnResult g = proc.portGetn(port, batch, batch, Timeout.POLL);
            n += g.nget();
        }
        return check(n);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int portList(Caller c) throws PortException {
        int n = 0;
        for (int r = 0; r < EVENTS; r += batch) {
            for (int i = 0; i < batch; i++) {
                proc.portSend(port, 1, ITEM);
            }
            n += proc.portGetn(port, c.list, batch, batch, Timeout.POLL);
        }
        return check(n);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int lbq() {
        return offerDrain(lbq);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int abq() {
        return offerDrain(abq);
    }

    /** The queues' side: {@code batch} offers, then one drainTo of {@code batch}. */
    private int offerDrain(BlockingQueue<Object> q) {
        int n = 0;
        for (int r = 0; r < EVENTS; r += batch) {
            for (int i = 0; i < batch; i++) {
                q.offer(ITEM);
            }
            n += q.drainTo(drained, batch);
            drained.clear();
        }
        return check(n);
    }

    /** Every variant must really have moved every event: a benchmark of a broken path decides nothing. */
    static int check(int n) {
        if (n != EVENTS) {
            throw new IllegalStateException("moved " + n + " of " + EVENTS + " events");
        }
        return n;
    }
}
