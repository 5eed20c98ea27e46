package eventports.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Real JVM threads: {@link Mutex} for kmutex_t, {@link CondVar} (park/unpark) for kcondvar_t,
 * System.nanoTime for the clock, Thread.interrupt for a UNIX signal.
 *
 * <p>A return from a wait that is neither an interrupt nor a passed deadline is reported as
 * "woken", even if it was spurious; the seed's wait loops re-check their conditions
 * (port.c:1296-1333), so a spurious wake-up is harmless, as in illumos. An interrupt is
 * consumed by the wait that reports it (EINTR); one that arrives while the thread is not
 * waiting stays pending until its next interruptible wait.
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
    /**
     * How many threads are under MUSTRETURN; written under mustReturnLock, read without it by
     * {@link #clearMustReturn}. The descriptor layer sets and clears MUSTRETURN under its table
     * lock, so a thread that reads 0 here is not among them.
     */
    private volatile int mustReturnCount;
    /** Threads under MUSTRETURN until their call ends. */
    private final Set<Thread> mustReturn = new java.util.HashSet<>();
    /** Threads asleep in an interruptible wait (ISWAKEABLE). */
    private final Set<Thread> sleepingSig = new java.util.HashSet<>();

    @Override
    public Object kthread() {
        return Thread.currentThread();
    }

    @Override
    public void mustReturn(java.util.Collection<?> kthreads, Runnable record) {
        synchronized (mustReturnLock) {
            if (record != null) {
                record.run();
            }
            for (Object k : kthreads) {
                Thread t = (Thread) k;
                if (mustReturn.add(t)) {
                    mustReturnCount++;
                }
                if (sleepingSig.contains(t)) {
                    t.interrupt();
                }
            }
        }
    }

    @Override
    public void clearMustReturn() {
        if (mustReturnCount == 0) {
            return;             // every call's exit asks: the common answer costs no lock
        }
        synchronized (mustReturnLock) {
            if (mustReturn.remove(Thread.currentThread())) {
                mustReturnCount--;
            }
        }
    }

    /**
     * Before an interruptible sleep: true if MUSTRETURN holds (do not sleep; {@code decided}
     * has been given SIGNALLED); else the thread is ISWAKEABLE.
     */
    private boolean enterSigSleep(IntConsumer decided) {
        Thread me = Thread.currentThread();
        synchronized (mustReturnLock) {
            if (mustReturn.contains(me)) {
                if (decided != null) {
                    decided.accept(KCondVar.SIGNALLED);
                }
                return true;
            }
            sleepingSig.add(me);
            return false;
        }
    }

    /**
     * After an interruptible sleep that ended with {@code r}: MUSTRETURN turns it into a signal;
     * {@code decided} is given the outcome under the same lock as the test.
     */
    private int leaveSigSleep(int r, IntConsumer decided) {
        Thread me = Thread.currentThread();
        synchronized (mustReturnLock) {
            sleepingSig.remove(me);
            if (mustReturn.contains(me)) {
                Thread.interrupted();
                r = KCondVar.SIGNALLED;
            }
            if (decided != null) {
                decided.accept(r);
            }
            return r;
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
            if (m.held()) {
                names.add(m.name);
                m.exit();
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

    /** The VarHandle of the {@code int state} field of {@code c} (a lookup with access to it). */
    static VarHandle stateHandle(MethodHandles.Lookup lookup, Class<?> c) {
        try {
            return lookup.findVarHandle(c, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * kmutex_t (mutex.c's adaptive mutex) on a {@link LeafLock}: one CAS to enter, a release
     * store to exit (the kernel's three portq_mutex sections per event are most of an event's
     * cost), plus the wake-ups of the cv_signal calls made under it.
     */
    static final class Mutex extends LeafLock implements KMutex {
        /**
         * Threads a cv_signal under this mutex has woken, unparked when the holder exits (see
         * CondVar#signal); guarded by the mutex. Usually none or one.
         */
        private Thread[] wakeOnExit = new Thread[1];
        private int wakeCount;

        Mutex(String name) {
            super(name);
        }

        @Override
        public void exit() {
            int n = wakeCount;
            if (n == 0) {
                release();
                return;
            }
            Thread[] wake = wakeOnExit;
            Thread only = n == 1 ? wake[0] : null;
            Thread[] many = n == 1 ? null : java.util.Arrays.copyOf(wake, n);
            java.util.Arrays.fill(wake, 0, n, null);
            wakeCount = 0;
            release();
            if (only != null) {
                LockSupport.unpark(only);
            } else {
                for (Thread t : many) {
                    LockSupport.unpark(t);
                }
            }
        }

        /** A cv_signal's wake-up, delivered when the holder exits. Mutex held. */
        void wakeOnExit(Thread t) {
            if (wakeCount == wakeOnExit.length) {
                wakeOnExit = java.util.Arrays.copyOf(wakeOnExit, wakeCount * 2);
            }
            wakeOnExit[wakeCount++] = t;
        }
    }

    /**
     * kcondvar_t on park/unpark: a FIFO queue of sleeping threads, guarded by the mutex the
     * condition variable is used with (every cv_signal, cv_broadcast and cv_wait of the kernel
     * holds it, as in illumos). cv_signal hands the wake-up to the longest sleeper, which is
     * unparked when the signaller exits the mutex. A sleeper whose deadline passes or that is interrupted leaves the queue at that
     * moment (its state moves from WAITING to CANCELLED by CAS, the same word cv_signal moves
     * to WOKEN), so a later cv_signal passes it by, as the illumos sleep queue does.
     */
    static final class CondVar implements KCondVar {
        private final RealSched sched;
        /** Bound to the first mutex it is used with; illumos uses each cv with one mutex. */
        private Mutex owner;
        private Sleeper head;
        private Sleeper tail;

        CondVar(RealSched sched) {
            this.sched = sched;
        }

        /** One thread in cv_wait. */
        private static final class Sleeper {
            static final int WAITING = 0;
            static final int WOKEN = 1;
            static final int CANCELLED = 2;
            private static final VarHandle STATE = stateHandle(MethodHandles.lookup(), Sleeper.class);

            final Thread thread = Thread.currentThread();
            /** What cv_signal returns for this sleeper (KCondVar#await(KMutex, Object)). */
            final Object tag;
            volatile int state;
            Sleeper next;

            Sleeper(Object tag) {
                this.tag = tag;
            }

            boolean wake() {
                return STATE.compareAndSet(this, WAITING, WOKEN);
            }

            /** Leave the queue by timeout or interrupt; no effect if a cv_signal got here first (reenter reads which). */
            void cancel() {
                STATE.compareAndSet(this, WAITING, CANCELLED);
            }
        }

        private Mutex bind(KMutex m) {
            Mutex l = (Mutex) m;
            if (owner == null) {
                owner = l;
            } else if (owner != l) {
                throw new IllegalStateException("condition variable used with two mutexes");
            }
            return l;
        }

        @Override
        public Object signal() {
            for (Sleeper s = head; s != null; s = head) {
                assert owner.held() : "cv_signal without the mutex";
                head = s.next;
                if (head == null) {
                    tail = null;
                }
                s.next = null;
                if (s.wake()) {
                    // the sleeper runs once the signaller drops the mutex (as an AQS condition's
                    // signal moves it to the lock queue): woken earlier, it would find the mutex
                    // held by its waker and have to sleep again
                    owner.wakeOnExit(s.thread);
                    return s.tag;
                }
            }
            return null;
        }

        @Override
        public void broadcast() {
            while (head != null) {
                signal();
            }
        }

        private Sleeper sleep(Mutex m, Object tag) {
            Sleeper s = new Sleeper(tag);
            if (tail == null) {
                head = s;
            } else {
                tail.next = s;
            }
            tail = s;
            m.exit();
            return s;
        }

        /** Back under the mutex; a cancelled sleeper that cv_signal has not passed yet unlinks itself. */
        private void reenter(Mutex m, Sleeper s) {
            m.enter();
            if (s.state == Sleeper.CANCELLED) {
                Sleeper prev = null;
                for (Sleeper p = head; p != null; prev = p, p = p.next) {
                    if (p == s) {
                        if (prev == null) {
                            head = s.next;
                        } else {
                            prev.next = s.next;
                        }
                        if (tail == s) {
                            tail = prev;
                        }
                        break;
                    }
                }
            }
        }

        @Override
        public void await(KMutex mutex, Object tag) {
            Mutex m = bind(mutex);
            Sleeper s = sleep(m, tag);
            boolean interrupted = false;
            while (s.state == Sleeper.WAITING) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;                                   // cv_wait is not interruptible
                }
            }
            reenter(m, s);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public int waitUntilSig(KMutex mutex, long deadlineNanos, IntConsumer decided) {
            Mutex m = bind(mutex);
            if (sched.enterSigSleep(decided)) {
                return SIGNALLED;
            }
            int r;
            try {
                r = sleepSig(m, deadlineNanos);
            } catch (RuntimeException | Error e) {
                sched.leaveSigSleep(SIGNALLED, null);
                throw e;
            }
            return sched.leaveSigSleep(r, decided);
        }

        private int sleepSig(Mutex m, long deadlineNanos) {
            if (Thread.interrupted()) {
                return SIGNALLED;
            }
            Sleeper s = sleep(m, null);
            boolean interrupted = false;
            while (s.state == Sleeper.WAITING) {
                if (deadlineNanos == Sched.NO_DEADLINE) {
                    LockSupport.park(this);
                } else {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        s.cancel();
                        break;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    s.cancel();
                    break;
                }
            }
            reenter(m, s);
            // cv_waituntil_sig's precedence: a signal, then the deadline, then the wake-up
            // (a wake-up that comes with either is consumed)
            if (interrupted || Thread.interrupted()) {
                return SIGNALLED;
            }
            if (deadlineNanos != Sched.NO_DEADLINE && System.nanoTime() - deadlineNanos >= 0) {
                return TIMED_OUT;
            }
            return WOKEN;
        }
    }
}
