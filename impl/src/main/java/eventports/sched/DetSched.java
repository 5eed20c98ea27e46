package eventports.sched;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The deterministic runtime. Each simulated thread is a JVM thread, but a baton lets exactly
 * one of them (or the driver) run at a time. A simulated thread runs only when the driver
 * hands it the baton ({@link #call}, {@link #await}) and gives it back when its call returns,
 * when it sleeps on a condition variable, or at a requested pause point. Nothing runs by
 * itself: a thread that is woken (cv_signal), times out ({@link #advance}) or is interrupted
 * ({@link #interrupt}) becomes runnable and waits for the driver's {@code await}.
 *
 * <p>Sleep queues follow illumos: a thread made runnable by a signal or a timeout leaves the
 * condition variable's sleep queue at that moment, so a later cv_signal passes it by; a thread
 * that was cv_signal'ed and then interrupted reports the interrupt (cv_waituntil_sig's
 * precedence: signal, timeout, wake-up) and the wake-up is consumed. cv_signal wakes the
 * longest sleeper. There are no spurious wake-ups. Time is virtual and moves only in
 * {@link #advance}.
 *
 * <p>Kernel code never sleeps holding portq_mutex, so it is never contended here; a mutex
 * that is held across a sleep (closef's f_tlock) blocks the next thread that enters it.
 */
public final class DetSched implements Sched {

    /** What a simulated thread is doing, as the driver sees it between steps. */
    public enum State { IDLE, RUNNING, BLOCKED, PAUSED }

    /** What a step ended with. */
    public record Outcome(Kind kind, Object value, Throwable error) {
        public enum Kind { RETURNED, BLOCKED, PAUSED }

        public boolean returned() {
            return kind == Kind.RETURNED;
        }
    }

    /** Thrown into abandoned simulated threads by {@link #shutdown()} to unwind them. */
    static final class Abandoned extends Error {
        Abandoned() {
            super("simulated thread abandoned", null, false, false);
        }
    }

    private final ReentrantLock baton = new ReentrantLock();
    /** Times a thread (or the driver) woke up waiting for the baton: one per hand-off, not one per thread. */
    long batonWakeups;
    private final Map<String, SimThread> threads = new LinkedHashMap<>();
    private final ThreadLocal<SimThread> current = new ThreadLocal<>();
    private final SimThread driver = new SimThread("driver");
    /** Holder of the baton; null means the driver. Guarded by {@link #baton}. */
    private SimThread running;
    private boolean shutdown;
    private long now;
    /** Real time a step may take before the driver gives up on it (a livelock in the core). */
    private long watchdogNanos = java.util.concurrent.TimeUnit.SECONDS.toNanos(20);

    /** A simulated thread. Its fields are touched only by whoever holds the baton. */
    public final class SimThread {
        final String name;
        /** Signalled when the baton is handed to this thread, so that a hand-off wakes only the runner. */
        private final Condition turn = baton.newCondition();
        Thread jvm;                              // (package: DetSchedTest checks shutdown ends it)
        State state = State.IDLE;
        private Callable<?> call;
        private Object result;
        private Throwable failure;
        private String pauseAt;
        /** A UNIX signal is pending for the call in progress (cleared when the call ends). */
        boolean signalPending;
        /** MUSTRETURN: the kernel evicts the call in progress (cleared when the call ends). */
        boolean mustReturn;
        private boolean woken;
        private boolean timedOut;
        private boolean interruptible;
        private long deadline = NO_DEADLINE;
        private DetCondVar sleepingOn;
        /** What cv_signal returns for this sleeper (KCondVar#await(KMutex, Object)). */
        private Object sleepTag;
        private final List<DetMutex> held = new ArrayList<>(2);
        /** What the call in progress is, for error messages ("port_get"). */
        private String callName;

        SimThread(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public State state() {
            return state;
        }

        /**
         * Why a blocked thread may continue when awaited: {@code "signal"} (a UNIX signal, for an
         * interruptible sleep), {@code "timeout"}, {@code "woken"} (cv_signal / cv_broadcast), in
         * cv_waituntil_sig's precedence; null when nothing is pending or the thread is not blocked.
         */
        public String pending() {
            if (state != State.BLOCKED) {
                return null;
            }
            return interruptible && (signalPending || mustReturn) ? "signal" : timedOut ? "timeout" : woken ? "woken" : null;
        }

        /** Blocked, and something (wake-up, timeout, signal) lets it continue when awaited. */
        public boolean runnable() {
            return state == State.PAUSED
                    || (state == State.BLOCKED && (woken || timedOut || (interruptible && (signalPending || mustReturn))));
        }

        private String heldNames() {
            List<String> names = new ArrayList<>();
            for (DetMutex m : held) {
                names.add(m.name);
            }
            return String.join(", ", names);
        }

        private void releaseHeld() {
            for (DetMutex m : new ArrayList<>(held)) {
                m.owner = null;
                if (!m.entrants.isEmpty()) {
                    m.entrants.get(0).woken = true;
                }
            }
            held.clear();
        }

        private void loop() {
            current.set(this);
            while (true) {
                try {
                    waitForBaton(this);
                } catch (Abandoned a) {
                    return;
                }
                Object r = null;
                Throwable f = null;
                try {
                    r = call.call();
                } catch (Abandoned a) {
                    return;
                } catch (Throwable t) {
                    f = t;
                }
                if (!held.isEmpty() && returnedNormally(f)) {
                    // A call that returns normally while holding a mutex is a lock leak: on real
                    // threads it wedges the port. Report it rather than hide it. A system call
                    // that fails with an errno (a checked exception) returns normally too.
                    f = new IllegalStateException(callName + " on thread " + name + " returned holding "
                            + heldNames() + (f == null ? "" : " with " + f) + " (a lock leak)");
                }
                result = r;
                failure = f;
                call = null;
                callName = null;
                pauseAt = null;
                signalPending = false;
                mustReturn = false;
                // A call that died inside a critical section (a seed crash, or the leak above)
                // must not wedge the simulation: its mutexes are released, as a panic would end
                // everything.
                releaseHeld();
                state = State.IDLE;
                handBack();
            }
        }
    }

    /** How long (real time) one step may run before the driver reports it as stuck. */
    public void setWatchdog(long millis) {
        watchdogNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
    }

    public SimThread thread(String name) {
        return threads.computeIfAbsent(name, SimThread::new);
    }

    public SimThread find(String name) {
        return threads.get(name);
    }

    public Iterable<SimThread> threads() {
        return threads.values();
    }

    /**
     * Whether a call that ended with {@code f} returned normally: with a value, or with a checked
     * exception (a system call's errno). An unchecked exception is a call that died, such as a
     * seed crash, whose mutexes are released without complaint.
     */
    static boolean returnedNormally(Throwable f) {
        return f == null || !(f instanceof RuntimeException || f instanceof Error);
    }

    /** Start a call on an idle thread and run it until it returns, blocks or pauses. */
    public Outcome call(String threadName, Callable<?> body, String pauseAt) {
        return call(threadName, "call", body, pauseAt);
    }

    /**
     * As {@link #call(String, Callable, String)}, naming the call ({@code "port_get"}) for the
     * error a call gets when it returns still holding a mutex.
     */
    public Outcome call(String threadName, String callName, Callable<?> body, String pauseAt) {
        SimThread t = thread(threadName);
        if (t.state != State.IDLE) {
            throw new IllegalStateException("thread " + threadName + " is busy (" + t.state + ")");
        }
        t.call = body;
        t.callName = callName;
        t.pauseAt = pauseAt;
        t.result = null;
        t.failure = null;
        if (t.jvm == null) {
            t.jvm = new Thread(t::loop, "det-" + threadName);
            t.jvm.setDaemon(true);
            t.jvm.start();
        }
        return runUntilYield(t);
    }

    /**
     * Run a blocked or paused thread. A blocked thread with nothing pending is not run: the
     * outcome is BLOCKED at once, since this runtime has no spurious wake-ups.
     */
    public Outcome await(String threadName) {
        SimThread t = threads.get(threadName);
        if (t == null || t.state == State.IDLE) {
            throw new IllegalStateException("thread " + threadName + " has no call in progress");
        }
        if (!t.runnable()) {
            return new Outcome(Outcome.Kind.BLOCKED, null, null);
        }
        return runUntilYield(t);
    }

    /**
     * Virtual time moves forward; every timed sleep whose deadline has passed times out. Time
     * never goes back (a negative step is refused) and saturates at the end of the clock, where
     * every finite deadline has passed.
     */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time cannot move backwards (advance by " + nanos + " ns)");
        }
        now = nanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
        for (SimThread t : threads.values()) {
            if (t.state == State.BLOCKED && t.deadline != NO_DEADLINE && t.deadline - now <= 0 && !t.timedOut) {
                t.timedOut = true;
                leaveSleepQueue(t);
            }
        }
    }

    /**
     * A UNIX signal reaches the thread. It stays pending for the rest of the call in progress;
     * an interruptible sleep ends (and leaves its sleep queue). An idle thread takes the signal
     * in user space: nothing happens to the kernel.
     */
    public void interrupt(String threadName) {
        SimThread t = thread(threadName);
        if (t.state == State.IDLE) {
            return;
        }
        t.signalPending = true;
        if (t.state == State.BLOCKED && t.interruptible) {
            leaveSleepQueue(t);
        }
    }

    @Override
    public Object kthread() {
        return self();
    }

    /**
     * MUSTRETURN for each of {@code kthreads} ({@link SimThread}s), after {@code record}: an interruptible sleep ends now and
     * leaves its sleep queue, as a signal's does; the thread becomes runnable and reports
     * SIGNALLED when awaited. An idle thread is not affected.
     */
    @Override
    public void mustReturn(java.util.Collection<?> kthreads, Runnable record) {
        if (record != null) {
            record.run();
        }
        for (Object k : kthreads) {
            SimThread t = (SimThread) k;
            if (t.state == State.IDLE) {
                continue;
            }
            t.mustReturn = true;
            if (t.state == State.BLOCKED && t.interruptible) {
                leaveSleepQueue(t);
            }
        }
    }

    @Override
    public void clearMustReturn() {
        self().mustReturn = false;
    }

    /** Unwind every simulated thread that is still inside a call; the runtime is dead after. */
    public void shutdown() {
        baton.lock();
        try {
            shutdown = true;
            driver.turn.signalAll();
            for (SimThread t : threads.values()) {
                t.turn.signalAll();
            }
        } finally {
            baton.unlock();
        }
        for (SimThread t : threads.values()) {
            if (t.jvm != null) {
                t.jvm.interrupt();
            }
        }
    }

    // ---- Sched -------------------------------------------------------------------------

    @Override
    public KMutex newMutex(String name) {
        return new DetMutex(name);
    }

    @Override
    public KCondVar newCondVar(String name) {
        return new DetCondVar(name);
    }

    @Override
    public long nowNanos() {
        return now;
    }

    @Override
    public List<String> releaseHeld() {
        SimThread me = self();
        List<String> names = new ArrayList<>();
        for (DetMutex m : me.held) {
            names.add(m.name);
        }
        me.releaseHeld();
        return names;
    }

    @Override
    public String currentThreadName() {
        SimThread t = current.get();
        return t == null ? "driver" : t.name;
    }

    @Override
    public void pausePoint(String name) {
        SimThread me = self();
        if (me != driver && name.equals(me.pauseAt)) {
            me.pauseAt = null; // once per call
            me.state = State.PAUSED;
            yieldToDriver(me);
        }
    }

    // ---- baton --------------------------------------------------------------------------

    /**
     * The caller: a simulated thread, or the driver. The driver may take a mutex to observe
     * state between steps (it never runs while a simulated thread does) but may not sleep.
     */
    private SimThread self() {
        SimThread t = current.get();
        return t == null ? driver : t;
    }

    private Outcome runUntilYield(SimThread t) {
        baton.lock();
        try {
            if (shutdown) {
                throw new IllegalStateException("deterministic runtime was shut down");
            }
            t.state = State.RUNNING;
            running = t;
            t.turn.signal();
            long left = watchdogNanos;
            while (running != null) {
                if (left <= 0) {
                    throw new IllegalStateException("thread " + t.name + " did not yield within "
                            + java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(watchdogNanos) + " s");
                }
                try {
                    left = driver.turn.awaitNanos(left);
                    batonWakeups++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("driver interrupted while " + t.name + " ran");
                }
            }
        } finally {
            baton.unlock();
        }
        switch (t.state) {
            case IDLE:
                return new Outcome(Outcome.Kind.RETURNED, t.result, t.failure);
            case PAUSED:
                return new Outcome(Outcome.Kind.PAUSED, null, null);
            default:
                return new Outcome(Outcome.Kind.BLOCKED, null, null);
        }
    }

    private void waitForBaton(SimThread me) {
        baton.lock();
        try {
            while (running != me) {
                if (shutdown) {
                    throw new Abandoned();
                }
                me.turn.awaitUninterruptibly();
                batonWakeups++;
            }
            if (shutdown) {
                throw new Abandoned();
            }
        } finally {
            baton.unlock();
        }
    }

    private void handBack() {
        baton.lock();
        try {
            running = null;
            driver.turn.signal();
        } finally {
            baton.unlock();
        }
    }

    private void yieldToDriver(SimThread me) {
        handBack();
        waitForBaton(me);
        me.state = State.RUNNING;
    }

    private void leaveSleepQueue(SimThread t) {
        if (t.sleepingOn != null) {
            t.sleepingOn.sleepers.remove(t);
            t.sleepingOn = null;
        }
    }

    // ---- mutex and condition variable ---------------------------------------------------

    final class DetMutex implements KMutex {
        final String name;
        SimThread owner;

        DetMutex(String name) {
            this.name = name;
        }

        /** Threads waiting to enter, in arrival order. */
        final List<SimThread> entrants = new ArrayList<>();

        /**
         * mutex_enter. A mutex held by a thread that sleeps with it (closef's f_tlock across a
         * blocking VOP_CLOSE) makes the caller block, not interruptibly, until it is released
         * and the driver awaits the caller again.
         */
        @Override
        public void enter() {
            SimThread me = self();
            if (owner == me) {
                throw new IllegalStateException("mutex " + name + " entered recursively by " + me.name);
            }
            while (owner != null) {
                if (me == driver) {
                    throw new IllegalStateException("the driver cannot wait for mutex " + name + " held by "
                            + owner.name);
                }
                me.woken = false;
                me.interruptible = false;
                entrants.add(me);
                me.state = State.BLOCKED;
                yieldToDriver(me);
                entrants.remove(me);
                me.woken = false;
            }
            owner = me;
            me.held.add(this);
        }

        @Override
        public void exit() {
            SimThread me = self();
            if (owner != me) {
                throw new IllegalStateException("mutex " + name + " exited by " + me.name + " but not held");
            }
            owner = null;
            me.held.remove(this);
            if (!entrants.isEmpty()) {
                entrants.get(0).woken = true;
            }
        }

        @Override
        public boolean held() {
            return owner == self();
        }
    }

    final class DetCondVar implements KCondVar {
        final String name;
        /** The sleep queue, longest sleeper first. */
        final List<SimThread> sleepers = new ArrayList<>();

        DetCondVar(String name) {
            this.name = name;
        }

        @Override
        public Object signal() {
            if (sleepers.isEmpty()) {
                return null;
            }
            SimThread t = sleepers.remove(0);
            t.sleepingOn = null;
            t.woken = true;
            return t.sleepTag;
        }

        @Override
        public void broadcast() {
            while (!sleepers.isEmpty()) {
                signal();
            }
        }

        @Override
        public void await(KMutex m, Object tag) {
            sleep(m, false, NO_DEADLINE, tag);
        }

        @Override
        public int waitUntilSig(KMutex m, long deadlineNanos, java.util.function.IntConsumer decided) {
            // one simulated thread runs at a time and nothing yields between the decision and
            // decided: the atomicity RealSched needs a lock for holds here by construction
            int r = waitUntilSig0(m, deadlineNanos);
            if (decided != null) {
                decided.accept(r);
            }
            return r;
        }

        private int waitUntilSig0(KMutex m, long deadlineNanos) {
            SimThread me = self();
            if (me.signalPending || me.mustReturn) {
                return SIGNALLED;
            }
            if (deadlineNanos != NO_DEADLINE && deadlineNanos - now <= 0) {
                return TIMED_OUT;
            }
            return sleep(m, true, deadlineNanos, null);
        }

        private int sleep(KMutex m, boolean interruptible, long deadlineNanos, Object tag) {
            SimThread me = self();
            if (me == driver) {
                throw new IllegalStateException("the driver cannot sleep on " + name);
            }
            me.woken = false;
            me.timedOut = false;
            me.interruptible = interruptible;
            me.deadline = deadlineNanos;
            me.sleepingOn = this;
            me.sleepTag = tag;
            sleepers.add(me);
            m.exit();
            me.state = State.BLOCKED;
            yieldToDriver(me);
            leaveSleepQueue(me);
            m.enter();
            int r = (interruptible && (me.signalPending || me.mustReturn)) ? SIGNALLED : me.timedOut ? TIMED_OUT : WOKEN;
            me.woken = false;
            me.timedOut = false;
            me.interruptible = false;
            me.deadline = NO_DEADLINE;
            return r;
        }
    }
}
