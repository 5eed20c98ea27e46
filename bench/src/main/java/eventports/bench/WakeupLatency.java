package eventports.bench;

import eventports.kernel.PortException;
import eventports.kernel.Proc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wake-up latency as a ping-pong: the benchmark thread hands an item to an echo thread that is
 * blocked waiting for it, then blocks until the echo hands one back. One operation is two
 * wake-ups of a blocked thread (score / 2 is one hand-off).
 *
 * <p>{@code port}: port_send to a thread blocked in port_get (no timeout) on port A, which
 * answers with port_send on port B. {@code bare}: the same over two one-slot mailboxes made of a
 * ReentrantLock and a Condition — the least a blocking hand-off in Java costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WakeupLatency {
    static final Object PING = "ping";
    static final Object STOP = "stop";

    @State(Scope.Benchmark)
    public static class PortPair {
        Proc proc;
        int ping;
        int pong;
        Thread echo;

        @Setup(Level.Trial)
        public void setup() throws PortException {
            proc = Ports4Bench.newProc("off");
            ping = proc.portCreate();
            pong = proc.portCreate();
            echo = new Thread(() -> {
                try {
                    for (;;) {
                        Object o = proc.portGet(ping, null).user();
                        if (o == STOP) {
                            return;
                        }
                        proc.portSend(pong, 1, o);
                    }
                } catch (PortException e) {
                    throw new IllegalStateException(e);
                }
            }, "echo");
            echo.setDaemon(true);
            echo.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            proc.portSend(ping, 1, STOP);
            echo.join();
        }
    }

    @Benchmark
    public Object port(PortPair s) throws PortException {
        s.proc.portSend(s.ping, 1, PING);
        return s.proc.portGet(s.pong, null).user();
    }

    /** A one-slot mailbox: ReentrantLock + Condition, signal on put, await on take. */
    static final class Mailbox {
        final ReentrantLock lock = new ReentrantLock();
        final Condition full = lock.newCondition();
        Object item;

        void put(Object o) {
            lock.lock();
            try {
                item = o;
                full.signal();
            } finally {
                lock.unlock();
            }
        }

        Object take() throws InterruptedException {
            lock.lock();
            try {
                while (item == null) {
                    full.await();
                }
                Object o = item;
                item = null;
                return o;
            } finally {
                lock.unlock();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class MailboxPair {
        final Mailbox ping = new Mailbox();
        final Mailbox pong = new Mailbox();
        Thread echo;

        @Setup(Level.Trial)
        public void setup() {
            echo = new Thread(() -> {
                try {
                    for (;;) {
                        Object o = ping.take();
                        if (o == STOP) {
                            return;
                        }
                        pong.put(o);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "echo");
            echo.setDaemon(true);
            echo.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            ping.put(STOP);
            echo.join();
        }
    }

    @Benchmark
    public Object bare(MailboxPair s) throws InterruptedException {
        s.ping.put(PING);
        return s.pong.take();
    }
}
