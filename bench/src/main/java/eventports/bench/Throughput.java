package eventports.bench;

import eventports.kernel.Errno;
import eventports.kernel.GetnResult;
import eventports.kernel.PortEvents;
import eventports.kernel.PortException;
import eventports.kernel.Proc;
import eventports.kernel.Timeout;
import org.jctools.queues.MpmcArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.Control;

import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Producer/consumer throughput. Each group is one transport; the harness runs every group with
 * P producers and P consumers ({@code -tg P,P}). The score that counts is the consumers'
 * {@code events} counter: events handed from a producer to a consumer per microsecond.
 *
 * <p>Producers send one event per invocation; consumers take a batch of up to 64 (port_getn
 * max 64 nget 1; take + drainTo(64); drain(64) for JCTools) except in {@code lbqTake}, which
 * takes one. Every queue is bounded at 65536, the port's default max-port-events, except
 * LinkedTransferQueue, which cannot be. A full queue makes a blocking producer wait
 * (timed {@code offer}); port_send reports EAGAIN and the JCTools queue refuses the offer, and
 * those producers back off and retry (below). Consumers that find nothing block (timed, so that an
 * iteration can end) or, for JCTools, yield. Timeouts are 20 ms; in steady state no call
 * reaches them.
 *
 * <p>A producer that finds the port or the JCTools queue full backs off for {@link #BACKOFF_NS}
 * (parkNanos) before it retries: a producer that retried at once would hammer portq_mutex with
 * EAGAIN attempts and starve the very consumer it waits for (measured: the port then settles
 * into a state where it moves a fifth of its events), which is not what a user would do.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Throughput {
    static final long WAIT_MS = 20;
    static final Timeout WAIT = Timeout.ofMillis(WAIT_MS);
    static final Object ITEM = "e";
    static final long BACKOFF_NS = 20_000;

    /** Events a consumer thread received in the iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Received {
        public long events;

        @Setup(Level.Iteration)
        public void reset() {
            events = 0;
        }
    }

    // ---- the port ----------------------------------------------------------------------

    @State(Scope.Group)
    public static class PortQ {
        Proc proc;
        int port;

        @Setup(Level.Trial)
        public void setup() throws PortException {
            proc = Ports4Bench.newProc("off");
            port = proc.portCreate();
        }
    }

    @Benchmark
    @Group("port")
    public void portSend(PortQ q, Control c) throws PortException {
        for (;;) {
            try {
                q.proc.portSend(q.port, 1, ITEM);
                return;
            } catch (PortException e) {
                if (e.errno() != Errno.EAGAIN || c.stopMeasurement) {
                    return;
                }
                LockSupport.parkNanos(BACKOFF_NS);
            }
        }
    }

    @Benchmark
    @Group("port")
    public void portGetn(PortQ q, Received r) throws PortException {
        try {
            GetnResult g = q.proc.portGetn(q.port, Ports4Bench.BATCH, 1, WAIT);
            r.events += g.nget();
        } catch (PortException e) {
            if (e.errno() != Errno.ETIME) {
                throw e;
            }
            r.events += e.nget();
        }
    }

    /**
     * The consumer's port_event_t list for port_getn into the caller's list, reused by every
     * call (a state of its own, so that the other groups run against a core without PortEvents).
     */
    @State(Scope.Thread)
    public static class Caller {
        final PortEvents list = new PortEvents(Ports4Bench.BATCH);
    }

    @Benchmark
    @Group("portList")
    public void portListSend(PortQ q, Control c) throws PortException {
        portSend(q, c);
    }

    @Benchmark
    @Group("portList")
    public void portListGetn(PortQ q, Received r, Caller l) throws PortException {
        try {
            r.events += q.proc.portGetn(q.port, l.list, Ports4Bench.BATCH, 1, WAIT);
        } catch (PortException e) {
            if (e.errno() != Errno.ETIME) {
                throw e;
            }
            r.events += e.nget();
        }
    }

    // ---- java.util.concurrent ----------------------------------------------------------

    @State(Scope.Group)
    public static class Lbq {
        final BlockingQueue<Object> q = new LinkedBlockingQueue<>(Ports4Bench.CAPACITY);
    }

    @State(Scope.Group)
    public static class Abq {
        final BlockingQueue<Object> q = new ArrayBlockingQueue<>(Ports4Bench.CAPACITY);
    }

    @State(Scope.Group)
    public static class Ltq {
        final BlockingQueue<Object> q = new LinkedTransferQueue<>();
    }

    /** The consumer's drainTo target, reused. */
    @State(Scope.Thread)
    public static class Batch {
        final ArrayList<Object> list = new ArrayList<>(Ports4Bench.BATCH);
    }

    static void put(BlockingQueue<Object> q) throws InterruptedException {
        q.offer(ITEM, WAIT_MS, TimeUnit.MILLISECONDS);
    }

    static void take(BlockingQueue<Object> q, Received r) throws InterruptedException {
        if (q.poll(WAIT_MS, TimeUnit.MILLISECONDS) != null) {
            r.events++;
        }
    }

    /** take (blocking) + drainTo(63): at most 64 events, at least one unless timed out. */
    static void takeDrain(BlockingQueue<Object> q, Received r, Batch b) throws InterruptedException {
        Object first = q.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
            return;
        }
        b.list.clear();
        int n = q.drainTo(b.list, Ports4Bench.BATCH - 1);
        r.events += 1 + n;
    }

    @Benchmark
    @Group("lbqTake")
    public void lbqTakePut(Lbq s) throws InterruptedException {
        put(s.q);
    }

    @Benchmark
    @Group("lbqTake")
    public void lbqTakeTake(Lbq s, Received r) throws InterruptedException {
        take(s.q, r);
    }

    @Benchmark
    @Group("lbqDrain")
    public void lbqDrainPut(Lbq s) throws InterruptedException {
        put(s.q);
    }

    @Benchmark
    @Group("lbqDrain")
    public void lbqDrainTake(Lbq s, Received r, Batch b) throws InterruptedException {
        takeDrain(s.q, r, b);
    }

    @Benchmark
    @Group("abqDrain")
    public void abqPut(Abq s) throws InterruptedException {
        put(s.q);
    }

    @Benchmark
    @Group("abqDrain")
    public void abqTake(Abq s, Received r, Batch b) throws InterruptedException {
        takeDrain(s.q, r, b);
    }

    @Benchmark
    @Group("ltqDrain")
    public void ltqPut(Ltq s) {
        s.q.offer(ITEM); // unbounded: never waits
    }

    @Benchmark
    @Group("ltqDrain")
    public void ltqTake(Ltq s, Received r, Batch b) throws InterruptedException {
        takeDrain(s.q, r, b);
    }

    // ---- JCTools: the lock-free ceiling ------------------------------------------------

    @State(Scope.Group)
    public static class Mpmc {
        final MpmcArrayQueue<Object> q = new MpmcArrayQueue<>(Ports4Bench.CAPACITY);
    }

    @Benchmark
    @Group("mpmc")
    public void mpmcOffer(Mpmc s, Control c) {
        while (!s.q.offer(ITEM)) {
            if (c.stopMeasurement) {
                return;
            }
            LockSupport.parkNanos(BACKOFF_NS);
        }
    }

    @Benchmark
    @Group("mpmc")
    public void mpmcDrain(Mpmc s, Received r, Blackhole bh) {
        int n = s.q.drain(bh::consume, Ports4Bench.BATCH);
        if (n == 0) {
            Thread.yield();
        }
        r.events += n;
    }
}
