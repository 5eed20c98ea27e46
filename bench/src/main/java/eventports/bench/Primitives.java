package eventports.bench;

import eventports.sched.KMutex;
import eventports.sched.RealSched;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the per-event cost is made of, one thread, no contention (bench/RESULTS.md, "where the
 * time goes"): an uncontended enter/exit of the kernel's mutex (RealSched) and of a
 * ReentrantLock (LinkedBlockingQueue's lock, and RealSched's before issue 16), and the atomic
 * increment of a shared counter (LinkedBlockingQueue's count; the kevent id counter before
 * issue 16). Not part of the goals; run with
 * {@code java -cp ... org.openjdk.jmh.Main Primitives}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class Primitives {
    final KMutex mutex = new RealSched().newMutex("bench");
    final ReentrantLock lock = new ReentrantLock();
    final AtomicLong counter = new AtomicLong();
    int guarded;

    @Benchmark
    public int kmutexEnterExit() {
        mutex.enter();
        int v = ++guarded;
        mutex.exit();
        return v;
    }

    @Benchmark
    public int reentrantLockPair() {
        lock.lock();
        int v = ++guarded;
        lock.unlock();
        return v;
    }

    /** A Java monitor's enter/exit (the descriptor table's lock before issue 16's second round). */
    @Benchmark
    public int monitorPair() {
        synchronized (counter) {
            return ++guarded;
        }
    }

    @Benchmark
    public long atomicIncrement() {
        return counter.getAndIncrement();
    }
}
