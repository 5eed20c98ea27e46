package eventports.sched;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Real JVM threads: ReentrantLock for kmutex_t, a Condition per kcondvar_t, System.nanoTime
 * for the clock, Thread.interrupt for a UNIX signal.
 *
 * <p>A Java Condition cannot say whether it was signalled, so a return from await that is
 * neither an interrupt nor a passed deadline is reported as "woken"; the seed's wait loops
 * re-check their conditions (port.c:1296-1333), so a spurious wake-up is harmless, as in illumos.
 * An interrupt is consumed by the wait that reports it (EINTR); one that arrives while the
 * thread is not waiting stays pending until its next interruptible wait.
 */
public final class RealSched implements Sched {
    /**
     * Every live mutex made here, weakly held. Read only by {@link #releaseHeld()}, so that the
     * hot path pays nothing for the rescue of a call that died in a critical section.
     */
    private final Set<Mutex> mutexes = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    @Override
    public KMutex newMutex(String name) {
        Mutex m = new Mutex(name);
        mutexes.add(m);
        return m;
    }

    @Override
    public List<String> releaseHeld() {
        List<Mutex> all;
        synchronized (mutexes) {
            all = new ArrayList<>(mutexes);
        }
        List<String> names = new ArrayList<>();
        for (Mutex m : all) {
            if (m.lock.isHeldByCurrentThread()) {
                names.add(m.name);
                while (m.lock.isHeldByCurrentThread()) {
                    m.lock.unlock();
                }
            }
        }
        return names;
    }

    @Override
    public KCondVar newCondVar(String name) {
        return new CondVar();
    }

    @Override
    public long nowNanos() {
        return System.nanoTime();
    }

    @Override
    public String currentThreadName() {
        return Thread.currentThread().getName();
    }

    @Override
    public void pausePoint(String name) {
        // real threads never pause
    }

    static final class Mutex implements KMutex {
        final ReentrantLock lock = new ReentrantLock();
        final String name;

        Mutex(String name) {
            this.name = name;
        }

        @Override
        public void enter() {
            lock.lock();
        }

        @Override
        public void exit() {
            lock.unlock();
        }

        @Override
        public boolean held() {
            return lock.isHeldByCurrentThread();
        }
    }

    static final class CondVar implements KCondVar {
        /** Bound to the first mutex it is used with; illumos uses each cv with one mutex. */
        private Condition cond;
        private ReentrantLock owner;

        private Condition cond(KMutex m) {
            ReentrantLock l = ((Mutex) m).lock;
            if (cond == null) {
                owner = l;
                cond = l.newCondition();
            } else if (owner != l) {
                throw new IllegalStateException("condition variable used with two mutexes");
            }
            return cond;
        }

        @Override
        public void signal() {
            if (cond != null) {
                cond.signal();
            }
        }

        @Override
        public void broadcast() {
            if (cond != null) {
                cond.signalAll();
            }
        }

        @Override
        public void await(KMutex m) {
            cond(m).awaitUninterruptibly();
        }

        @Override
        public int waitUntilSig(KMutex m, long deadlineNanos) {
            Condition c = cond(m);
            if (Thread.interrupted()) {
                return SIGNALLED;
            }
            try {
                if (deadlineNanos == Sched.NO_DEADLINE) {
                    c.await();
                } else {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return TIMED_OUT;
                    }
                    c.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                return SIGNALLED;
            }
            if (Thread.interrupted()) {
                return SIGNALLED;
            }
            if (deadlineNanos != Sched.NO_DEADLINE && System.nanoTime() - deadlineNanos >= 0) {
                return TIMED_OUT;
            }
            return WOKEN;
        }
    }
}
