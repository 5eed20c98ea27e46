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
 *
 * <p>MUSTRETURN ({@link #mustReturn}) is a set of threads, read by every interruptible wait
 * before and after it sleeps; the thread is interrupted only while it sleeps interruptibly
 * (both under {@link #mustReturnLock}), so no interrupt is left over for a later call. A wait
 * that reports MUSTRETURN clears the thread's interrupt status: a signal that arrived too is
 * reported by the same return.
 */
public final class RealSched implements Sched {
    /**
     * Every live mutex made here, weakly held. Read only by {@link #releaseHeld()}, so that the
     * hot path pays nothing for the rescue of a call that died in a critical section.
     */
    private final Set<Mutex> mutexes = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    /** Guards {@link #mustReturn} and {@link #sleepingSig}: a leaf lock. */
    private final Object mustReturnLock = new Object();
    /** Threads under MUSTRETURN until their call ends. */
    private final Set<Thread> mustReturn = new java.util.HashSet<>();
    /** Threads asleep in an interruptible wait (ISWAKEABLE). */
    private final Set<Thread> sleepingSig = new java.util.HashSet<>();

    @Override
    public Object kthread() {
        return Thread.currentThread();
    }

    @Override
    public void mustReturn(Object kthread) {
        Thread t = (Thread) kthread;
        synchronized (mustReturnLock) {
            mustReturn.add(t);
            if (sleepingSig.contains(t)) {
                t.interrupt();
            }
        }
    }

    @Override
    public void clearMustReturn() {
        synchronized (mustReturnLock) {
            mustReturn.remove(Thread.currentThread());
        }
    }

    /** Before an interruptible sleep: true if MUSTRETURN holds (do not sleep); else the thread is ISWAKEABLE. */
    private boolean enterSigSleep() {
        Thread me = Thread.currentThread();
        synchronized (mustReturnLock) {
            if (mustReturn.contains(me)) {
                return true;
            }
            sleepingSig.add(me);
            return false;
        }
    }

    /** After an interruptible sleep: true if MUSTRETURN holds (the sleep reports a signal). */
    private boolean leaveSigSleep() {
        Thread me = Thread.currentThread();
        synchronized (mustReturnLock) {
            sleepingSig.remove(me);
            if (mustReturn.contains(me)) {
                Thread.interrupted();
                return true;
            }
            return false;
        }
    }

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
        return new CondVar(this);
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
        private final RealSched sched;
        /** Bound to the first mutex it is used with; illumos uses each cv with one mutex. */
        private Condition cond;
        private ReentrantLock owner;

        CondVar(RealSched sched) {
            this.sched = sched;
        }

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
            if (sched.enterSigSleep()) {
                return SIGNALLED;
            }
            boolean must;
            int r = SIGNALLED;
            try {
                r = sleep(c, deadlineNanos);
            } finally {
                must = sched.leaveSigSleep();
            }
            return must ? SIGNALLED : r;
        }

        private static int sleep(Condition c, long deadlineNanos) {
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
