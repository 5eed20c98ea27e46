package eventports.bench;

import eventports.kernel.PortException;
import eventports.kernel.PortQueue;
import eventports.kernel.Ports;
import eventports.kernel.Proc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Alert fan-out: N threads are blocked; one operation wakes them all and waits until the last
 * has returned. {@code port}: N threads in port_get (no timeout), woken by port_alert(SET),
 * each of which returns the alert event. {@code bare}: N threads in Condition.await under one
 * ReentrantLock, woken by signalAll. Both count the returns the same way (an AtomicInteger;
 * the last one unparks the benchmark thread). Between operations, outside the measured time,
 * the alert is cleared and every waiter is blocked again before the next operation starts.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AlertFanout {

    /** What both variants share: the waiter threads, the acknowledgement count and the re-arm gate. */
    @State(Scope.Benchmark)
    public abstract static class Fanout {
        @Param({"1", "4", "16"})
        public int waiters;

        Thread[] threads;
        final AtomicInteger acks = new AtomicInteger();
        volatile int epoch;
        volatile boolean stop;
        volatile Thread main;

        /** Block until woken by the operation; false to stop. */
        abstract boolean await() throws Exception;

        /** Number of threads currently blocked in {@link #await}. */
        abstract int blocked() throws Exception;

        /** Wake every waiter (the measured step). */
        abstract void wakeAll() throws Exception;

        /** Undo {@link #wakeAll} so that waiters block again (not measured). */
        abstract void rearm() throws Exception;

        void start() throws Exception {
            threads = new Thread[waiters];
            for (int i = 0; i < waiters; i++) {
                threads[i] = new Thread(this::loop, "waiter-" + i);
                threads[i].setDaemon(true);
                threads[i].start();
            }
            settle();
        }

        private void loop() {
            try {
                int seen = epoch;
                for (;;) {
                    if (stop) {
                        return;
                    }
                    boolean go = await();
                    if (!go || stop) {
                        return;
                    }
                    if (acks.incrementAndGet() == waiters) {
                        LockSupport.unpark(main);
                    }
                    while (epoch == seen && !stop) {
                        LockSupport.park(this);
                    }
                    seen = epoch;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Wait until every waiter is blocked again. */
        void settle() throws Exception {
            while (blocked() < waiters) {
                Thread.yield();
            }
        }

        @Setup(Level.Invocation)
        public void beforeOp() throws Exception {
            if (acks.get() != 0) {
                rearm();
                acks.set(0);
                epoch++;
                for (Thread t : threads) {
                    LockSupport.unpark(t);
                }
                settle();
            }
            main = Thread.currentThread();
        }

        @TearDown(Level.Trial)
        public void stopAll() throws Exception {
            stop = true;
            wakeAll();
            epoch++;
            for (Thread t : threads) {
                LockSupport.unpark(t);
                t.join();
            }
        }

        void op() throws Exception {
            wakeAll();
            while (acks.get() < waiters) {
                LockSupport.park(this);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class PortFanout extends Fanout {
        Proc proc;
        int port;
        PortQueue queue;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            proc = Ports4Bench.newProc("off");
            port = proc.portCreate();
            queue = Ports4Bench.portOf(proc, port).queue();
            start();
        }

        @Override
        boolean await() throws PortException {
            proc.portGet(port, null);
            return true;
        }

        @Override
        int blocked() {
            return queue.snapshot().waiters();
        }

        @Override
        void wakeAll() throws PortException {
            proc.portAlert(port, Ports.PORT_ALERT_SET, 1, null);
        }

        @Override
        void rearm() throws PortException {
            proc.portAlert(port, 0, 0, null);
        }
    }

    @State(Scope.Benchmark)
    public static class BareFanout extends Fanout {
        final ReentrantLock lock = new ReentrantLock();
        final Condition cond = lock.newCondition();
        long generation;
        int inside;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            start();
        }

        @Override
        boolean await() throws InterruptedException {
            lock.lock();
            try {
                long g = generation;
                inside++;
                while (generation == g && !stop) {
                    cond.await();
                }
                inside--;
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        int blocked() {
            lock.lock();
            try {
                return inside;
            } finally {
                lock.unlock();
            }
        }

        @Override
        void wakeAll() {
            lock.lock();
            try {
                generation++;
                cond.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        void rearm() {
        }
    }

    @Benchmark
    public void port(PortFanout s) throws Exception {
        s.op();
    }

    @Benchmark
    public void bare(BareFanout s) throws Exception {
        s.op();
    }
}
