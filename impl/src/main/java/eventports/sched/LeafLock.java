package eventports.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * A mutual-exclusion lock of real JVM threads that costs one atomic instruction per
 * uncontended enter/exit: a CAS to enter, a release store to exit (a Java monitor, or a
 * ReentrantLock, costs two: about 13 against 7 ns a pair on the benchmark machine, issue 16).
 * Contended, a thread spins briefly and then sleeps in an AbstractQueuedSynchronizer queue.
 * It is {@link RealSched}'s kmutex_t, and the kernel's descriptor-table lock under either
 * scheduler (a leaf lock that no scheduling point lies under, so DetSched never sees it).
 *
 * <p>An exit that stores with release semantics, not a full fence, can read the queue before
 * its store is visible, and so miss a thread that enqueued at that instant; that thread's
 * re-check (AQS retries the CAS before it parks) almost always sees the store, and where it
 * does not, its sleep is bounded ({@link #PARK_NANOS}) and it tries again: a missed wake-up
 * costs at most that long, never progress. Not reentrant: entering a lock the thread holds is
 * an error (IllegalStateException), as in illumos and in DetSched.
 */
public class LeafLock {
    /** Longest sleep of a waiting thread before it re-checks the lock (see above). */
    static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    /** Spins before a waiting thread sleeps: the holds are short. */
    static final int SPINS = 64;
    private static final VarHandle STATE = RealSched.stateHandle(MethodHandles.lookup(), LeafLock.class);

    final String name;
    /** 0 free, 1 held; written by CAS (enter) and release store (exit). */
    @SuppressWarnings("unused")
    private volatile int state;
    /** The holder; read only by the holder itself ({@link #held}), so plain accesses do. */
    private Thread owner;
    /** Only the sleeping threads' queue: the lock word is {@link #state}. */
    private final Sleepers sleepers = new Sleepers();

    public LeafLock(String name) {
        this.name = name;
    }

    private boolean tryEnter() {
        return STATE.compareAndSet(this, 0, 1);
    }

    public final void enter() {
        if (!tryEnter()) {
            contended();
        }
        owner = Thread.currentThread();
    }

    private void contended() {
        if (owner == Thread.currentThread()) {
            throw new IllegalStateException("lock " + name + " entered recursively");
        }
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if (state == 0 && tryEnter()) {
                return;
            }
        }
        boolean interrupted = false;
        for (;;) {
            try {
                if (sleepers.tryAcquireNanos(1, PARK_NANOS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;                                   // mutex_enter is not interruptible
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();                       // the signal stays pending
        }
    }

    public void exit() {
        release();
    }

    /**
     * Drop the lock and wake its first sleeper, if any. Only the holder may: an exit without its
     * enter would otherwise pass unseen (the lock word just stays 0), and under DetSched, where
     * no two threads ever run at once, nothing else would show it (issue 19: removing any
     * {@code fileLock.enter()} survived every test).
     */
    final void release() {
        // mutex_exit by a thread that does not hold the lock panics illumos ("not owner")
        assert held() : "lock " + name + " exited by " + Thread.currentThread().getName() + ", which does not hold it";
        owner = null;
        STATE.setRelease(this, 0);
        sleepers.release(1);
    }

    /** True if the calling thread holds the lock. */
    public final boolean held() {
        return owner == Thread.currentThread();
    }

    /** The AQS queue of threads sleeping on the lock; acquiring it is the CAS on {@code state}. */
    private final class Sleepers extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean tryAcquire(int arg) {
            return tryEnter();
        }

        @Override
        protected boolean tryRelease(int arg) {
            return true;                                              // exit() has stored 0
        }
    }
}
