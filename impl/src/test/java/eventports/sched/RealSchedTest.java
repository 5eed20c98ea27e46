package eventports.sched;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link RealSched} on real JVM threads: the three outcomes of cv_waituntil_sig (-1 deadline
 * passed, 0 a signal — Thread.interrupt — is pending and is consumed, &gt; 0 woken), cv_wait
 * not being interruptible, and the mutex's MUTEX_HELD discipline.
 *
 * <p>No timing is asserted. Latches and generous deadlines only keep a broken implementation
 * from hanging the build; a wait that may wake spuriously is looped on, as the seed's wait
 * loops do (port.c:1296-1333). "The other thread is asleep on the condition variable" is
 * established by taking the mutex after the sleeper announced itself: the sleeper holds the
 * mutex from the announcement until await releases it.
 */
class RealSchedTest {
    /** Bound on any wait in this class; reaching it is a failure, never a pass. */
    private static final long GENEROUS_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final RealSched sched = new RealSched();
    private final List<Thread> started = new ArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    @AfterEach
    void joinThreads() throws InterruptedException {
        for (Thread t : started) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), "thread " + t.getName() + " is stuck");
        }
        Thread.interrupted(); // never leak an interrupt into the next test
        if (!failures.isEmpty()) {
            Throwable first = failures.peek();
            throw new AssertionError("failure in a helper thread: " + first, first);
        }
    }

    @Test
    void mustReturnWakesAnInterruptibleSleeperAndLeavesNoInterruptBehind() throws Exception {
        // fio.c closeandsetf: a_stale + setrun; condvar.c returns 0 under MUSTRETURN
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        CountDownLatch asleep = new CountDownLatch(1);
        AtomicInteger first = new AtomicInteger(99);
        AtomicInteger second = new AtomicInteger(99);
        Object[] handle = new Object[1];
        Thread t = start("stale", () -> {
            handle[0] = sched.kthread();
            m.enter();
            asleep.countDown();
            first.set(cv.waitUntilSig(m, Sched.NO_DEADLINE));
            second.set(cv.waitUntilSig(m, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1)));
            sched.clearMustReturn();
            m.exit();
            assertFalse(Thread.currentThread().isInterrupted(), "no interrupt is left for a later call");
        });
        assertTrue(asleep.await(30, TimeUnit.SECONDS));
        m.enter();          // the sleeper holds m until its wait has released it
        m.exit();
        sched.mustReturn(java.util.List.of(handle[0]), null);
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(KCondVar.SIGNALLED, first.get());
        assertEquals(KCondVar.SIGNALLED, second.get(), "MUSTRETURN holds until the call ends");
    }

    @Test
    void aWaitOutcomeIsDecidedAtomicallyWithMustReturnsRecord() throws Exception {
        // a cv_signal and closeandsetf's mark race for one sleeper, many times over: whatever the
        // interleaving, the sleeper's outcome, as recorded, must agree with the order of the two
        // records (MUSTRETURN recorded first means the outcome is a signal; the outcome recorded
        // first means the mark came too late for it and the plain wake-up stands)
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        for (int i = 0; i < 2_000; i++) {
            List<String> records = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch announced = new CountDownLatch(1);
            Object[] handle = new Object[1];
            Thread t = new Thread(() -> {
                handle[0] = sched.kthread();
                m.enter();
                announced.countDown();
                int r;
                do {
                    r = cv.waitUntilSig(m, generousDeadline(), x -> records.add("wait " + x));
                } while (r == KCondVar.WOKEN && !records.contains("mark"));
                sched.clearMustReturn();
                m.exit();
                Thread.interrupted();
            }, "sleeper-" + i);
            t.start();
            waitUntilAsleep(m, announced);
            m.enter();
            cv.signal();
            m.exit();
            sched.mustReturn(List.of(handle[0]), () -> records.add("mark"));
            joinOrFail(t);
            int mark = records.indexOf("mark");
            List<String> before = records.subList(0, mark);
            List<String> after = records.subList(mark + 1, records.size());
            assertTrue(before.stream().allMatch(x -> x.equals("wait " + KCondVar.WOKEN)), records::toString);
            assertTrue(after.stream().allMatch(x -> x.equals("wait " + KCondVar.SIGNALLED)), records::toString);
        }
    }

    // ---- MUSTRETURN's lifetime --------------------------------------------------------------

    /** Runs {@code body} on thread {@code t} (not started yet) and waits for it to end. */
    private void runOn(Thread t) throws InterruptedException {
        started.add(t);
        t.start();
        joinOrFail(t);
    }

    /** The outcome, and what {@code decided} was told, of a wait whose deadline has passed. */
    private List<Integer> waitPassedDeadline(KMutex m, KCondVar cv) {
        List<Integer> told = new ArrayList<>();
        m.enter();
        int r = cv.waitUntilSig(m, sched.nowNanos() - 1, told::add);
        m.exit();
        told.add(0, r);
        return told;
    }

    @Test
    void mustReturnEndsWhenTheThreadsCallEnds() throws Exception {
        // Sched.clearMustReturn: the call is over, MUSTRETURN no longer applies; the thread's next
        // wait is decided by its deadline, and decided hears of exactly one outcome per wait
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        List<List<Integer>> seen = new ArrayList<>();
        Thread t = new Thread(() -> {
            seen.add(waitPassedDeadline(m, cv));                      // marked: a signal
            sched.clearMustReturn();
            seen.add(waitPassedDeadline(m, cv));                      // call over: the deadline
        }, "marked");
        sched.mustReturn(List.of(t), null);
        runOn(t);
        assertEquals(List.of(List.of(KCondVar.SIGNALLED, KCondVar.SIGNALLED),
                List.of(KCondVar.TIMED_OUT, KCondVar.TIMED_OUT)), seen);
    }

    @Test
    void clearMustReturnEndsOnlyTheCallersMustReturn() throws Exception {
        // two threads marked by one close; one ends its call, then unmarked threads end theirs:
        // the other marked thread stays under MUSTRETURN until its own call ends
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        List<List<Integer>> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch bMayGoOn = new CountDownLatch(1);
        Thread a = new Thread(sched::clearMustReturn, "a");
        Thread b = new Thread(() -> {
            try {
                bMayGoOn.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            seen.add(waitPassedDeadline(m, cv));
            sched.clearMustReturn();
            seen.add(waitPassedDeadline(m, cv));
        }, "b");
        sched.mustReturn(List.of(a, b), null);
        started.add(b);
        b.start();
        runOn(a);
        runOn(new Thread(sched::clearMustReturn, "c"));
        runOn(new Thread(sched::clearMustReturn, "d"));
        bMayGoOn.countDown();
        joinOrFail(b);
        assertEquals(List.of(List.of(KCondVar.SIGNALLED, KCondVar.SIGNALLED),
                List.of(KCondVar.TIMED_OUT, KCondVar.TIMED_OUT)), seen);
    }

    private Thread start(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        }, name);
        t.setDaemon(true);
        started.add(t);
        t.start();
        return t;
    }

    private long generousDeadline() {
        return sched.nowNanos() + GENEROUS_NANOS;
    }

    private static void await(CountDownLatch l) throws InterruptedException {
        assertTrue(l.await(30, TimeUnit.SECONDS), "latch not reached");
    }

    /** Returns once {@code sleeper} has released {@code m} inside a condition wait (see class doc). */
    private static void waitUntilAsleep(KMutex m, CountDownLatch announced) throws InterruptedException {
        await(announced);
        m.enter();
        m.exit();
    }

    private static void joinOrFail(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(30));
        if (t.isAlive()) {
            fail("thread " + t.getName() + " is stuck");
        }
    }

    // ---- cv_waituntil_sig: timeout -------------------------------------------------------

    @Test
    void waituntilSigReturnsMinusOneWhenTheDeadlinePasses() {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        m.enter();
        long deadline = sched.nowNanos() + TimeUnit.MILLISECONDS.toNanos(20);
        int r;
        do {
            r = cv.waitUntilSig(m, deadline); // a spurious wake-up (> 0) just loops
        } while (r > 0);
        assertEquals(KCondVar.TIMED_OUT, r);
        assertTrue(sched.nowNanos() - deadline >= 0, "TIMED_OUT reported before the deadline");
        assertTrue(m.held(), "the mutex is held again after the wait");
        m.exit();
    }

    @Test
    void waituntilSigWithAPassedDeadlineReturnsMinusOneWithoutWaiting() {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        m.enter();
        assertEquals(KCondVar.TIMED_OUT, cv.waitUntilSig(m, sched.nowNanos() - 1));
        assertEquals(KCondVar.TIMED_OUT, cv.waitUntilSig(m, sched.nowNanos()));
        assertTrue(m.held());
        m.exit();
    }

    @Test
    void aSignalWithNobodyWaitingIsNotRemembered() {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        m.enter();
        cv.signal();       // before the cv was ever waited on
        cv.broadcast();
        int r;
        do {
            r = cv.waitUntilSig(m, sched.nowNanos() + TimeUnit.MILLISECONDS.toNanos(10));
        } while (r > 0);
        assertEquals(KCondVar.TIMED_OUT, r);
        cv.signal();       // the cv is bound now; still nobody asleep
        do {
            r = cv.waitUntilSig(m, sched.nowNanos() + TimeUnit.MILLISECONDS.toNanos(10));
        } while (r > 0);
        assertEquals(KCondVar.TIMED_OUT, r);
        m.exit();
    }

    // ---- cv_waituntil_sig: interrupt ------------------------------------------------------

    /**
     * A thread that waits on {@code cv} until a wait ends other than by a signal, records how in
     * {@code result}, runs {@code holding} with the mutex still held, and leaves; each wait until
     * a generous deadline.
     */
    private Thread sleepUntilNotSignalled(String name, KMutex m, KCondVar cv, CountDownLatch announced,
                                          AtomicInteger result, Runnable holding) {
        return sleepUntilNotSignalled(name, m, cv, announced, result, holding, this::generousDeadline);
    }

    /** {@link #sleepUntilNotSignalled}, each wait until {@code deadline}'s answer. */
    private Thread sleepUntilNotSignalled(String name, KMutex m, KCondVar cv, CountDownLatch announced,
                                          AtomicInteger result, Runnable holding, LongSupplier deadline) {
        return start(name, () -> {
            m.enter();
            announced.countDown();
            int r;
            do {
                r = cv.waitUntilSig(m, deadline.getAsLong());
            } while (r > 0);
            result.set(r);
            holding.run();
            m.exit();
        });
    }

    @Test
    void anInterruptEndsTheWaitWithZeroAndIsConsumed() throws InterruptedException {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        CountDownLatch announced = new CountDownLatch(1);
        AtomicInteger result = new AtomicInteger(99);
        Thread sleeper = sleepUntilNotSignalled("sleeper", m, cv, announced, result, () -> {
            assertTrue(m.held(), "mutex held after an interrupted wait");
            assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was not consumed");
            // consumed: the next wait is not cut short by it, it runs into its deadline
            int again;
            do {
                again = cv.waitUntilSig(m, sched.nowNanos() + TimeUnit.MILLISECONDS.toNanos(10));
            } while (again > 0);
            assertEquals(KCondVar.TIMED_OUT, again, "a consumed interrupt struck a second time");
        });
        waitUntilAsleep(m, announced);
        sleeper.interrupt();
        joinOrFail(sleeper);
        assertEquals(KCondVar.SIGNALLED, result.get());
    }

    @Test
    void anInterruptWithoutDeadlineEndsTheWaitWithZero() throws InterruptedException {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        CountDownLatch announced = new CountDownLatch(1);
        AtomicInteger result = new AtomicInteger(99);
        Thread sleeper = sleepUntilNotSignalled("sleeper", m, cv, announced, result,
                () -> assertTrue(m.held()), () -> Sched.NO_DEADLINE);
        waitUntilAsleep(m, announced);
        sleeper.interrupt();
        joinOrFail(sleeper);
        assertEquals(KCondVar.SIGNALLED, result.get());
    }

    @Test
    void aPendingInterruptEndsTheNextWaitAtOnce() {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        m.enter();
        Thread.currentThread().interrupt(); // arrives while not waiting: stays pending
        assertEquals(KCondVar.SIGNALLED, cv.waitUntilSig(m, Sched.NO_DEADLINE));
        assertFalse(Thread.currentThread().isInterrupted(), "consumed by the wait that reported it");
        assertTrue(m.held());
        m.exit();
    }

    @Test
    void aPendingInterruptTakesPrecedenceOverAPassedDeadline() {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        m.enter();
        Thread.currentThread().interrupt();
        // signal > timeout > wake-up (condvar.c)
        assertEquals(KCondVar.SIGNALLED, cv.waitUntilSig(m, sched.nowNanos() - 1));
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(KCondVar.TIMED_OUT, cv.waitUntilSig(m, sched.nowNanos() - 1));
        m.exit();
    }

    // ---- cv_waituntil_sig: wake-up ------------------------------------------------------------

    @Test
    void cvSignalEndsTheWaitWithAPositiveResult() throws InterruptedException {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        CountDownLatch announced = new CountDownLatch(1);
        boolean[] ready = {false};
        List<Integer> results = new ArrayList<>();
        Thread sleeper = start("sleeper", () -> {
            m.enter();
            announced.countDown();
            while (!ready[0]) {
                int r = cv.waitUntilSig(m, generousDeadline());
                results.add(r);
                if (r <= 0) {
                    break;
                }
            }
            assertTrue(m.held());
            m.exit();
        });
        waitUntilAsleep(m, announced);
        m.enter();
        ready[0] = true;
        cv.signal();
        m.exit();
        joinOrFail(sleeper);
        m.enter();
        try {
            assertFalse(results.isEmpty());
            for (int r : results) {
                assertTrue(r > 0, "a woken wait returned " + r + " (results " + results + ")");
            }
        } finally {
            m.exit();
        }
    }

    @Test
    void cvBroadcastWakesEverySleeper() throws InterruptedException {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        int n = 6;
        CountDownLatch announced = new CountDownLatch(n);
        int[] asleep = {0};
        boolean[] go = {false};
        List<Integer> results = new ArrayList<>();
        List<Thread> sleepers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sleepers.add(start("sleeper-" + i, () -> {
                m.enter();
                asleep[0]++;
                announced.countDown();
                while (!go[0]) {
                    int r = cv.waitUntilSig(m, generousDeadline());
                    results.add(r);
                    if (r <= 0) {
                        break;
                    }
                }
                m.exit();
            }));
        }
        await(announced);
        m.enter();                       // every sleeper has released m inside its wait
        assertEquals(n, asleep[0]);
        go[0] = true;
        cv.broadcast();
        m.exit();
        for (Thread t : sleepers) {
            joinOrFail(t);
        }
        m.enter();
        try {
            assertTrue(results.size() >= n);
            assertTrue(results.stream().allMatch(r -> r > 0), "results " + results);
        } finally {
            m.exit();
        }
    }

    @Test
    void cvSignalWakesOneSleeperAtATime() throws InterruptedException {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        int n = 4;
        CountDownLatch announced = new CountDownLatch(n);
        int[] tokens = {0};
        int[] done = {0};
        List<Thread> sleepers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sleepers.add(start("sleeper-" + i, () -> {
                m.enter();
                announced.countDown();
                while (tokens[0] == 0) {
                    int r = cv.waitUntilSig(m, generousDeadline());
                    assertTrue(r > 0, "wait ended with " + r);
                }
                tokens[0]--;
                done[0]++;
                m.exit();
            }));
        }
        await(announced);
        for (int i = 0; i < n; i++) {
            m.enter();
            tokens[0]++;
            cv.signal();
            m.exit();
        }
        for (Thread t : sleepers) {
            joinOrFail(t);
        }
        m.enter();
        assertEquals(n, done[0]);
        assertEquals(0, tokens[0]);
        m.exit();
    }

    // ---- cv_wait ----------------------------------------------------------------------------

    @Test
    void cvWaitIsNotInterruptible() throws InterruptedException {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        CountDownLatch announced = new CountDownLatch(1);
        boolean[] go = {false};
        int[] returnsBeforeGo = {0};
        int[] afterwards = {99};
        boolean[] stillPending = {false};
        Thread sleeper = start("sleeper", () -> {
            m.enter();
            announced.countDown();
            while (!go[0]) {
                cv.await(m);
                if (!go[0]) {
                    returnsBeforeGo[0]++;
                }
            }
            assertTrue(m.held());
            // the interrupt survived cv_wait and is still pending for the next
            // interruptible wait, which reports it at once
            stillPending[0] = Thread.currentThread().isInterrupted();
            afterwards[0] = cv.waitUntilSig(m, generousDeadline());
            m.exit();
        });
        waitUntilAsleep(m, announced);
        sleeper.interrupt();
        // give an interruptible implementation every chance to return; not a timing assertion:
        // the check below holds however long this takes
        Thread.sleep(100);
        m.enter();
        assertEquals(0, returnsBeforeGo[0], "cv_wait returned because of the interrupt");
        assertTrue(sleeper.isAlive());
        go[0] = true;
        cv.signal();
        m.exit();
        joinOrFail(sleeper);
        assertTrue(stillPending[0], "cv_wait swallowed the interrupt");
        assertEquals(KCondVar.SIGNALLED, afterwards[0]);
    }

    @Test
    void cvWaitReturnsOnSignalWithTheMutexHeld() throws InterruptedException {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        CountDownLatch announced = new CountDownLatch(1);
        boolean[] go = {false};
        boolean[] heldAfter = {false};
        Thread sleeper = start("sleeper", () -> {
            m.enter();
            announced.countDown();
            while (!go[0]) {
                cv.await(m);
            }
            heldAfter[0] = m.held();
            m.exit();
        });
        waitUntilAsleep(m, announced);
        m.enter();
        go[0] = true;
        cv.broadcast();
        m.exit();
        joinOrFail(sleeper);
        assertTrue(heldAfter[0]);
    }

    /**
     * A thread that takes {@code m}, announces itself, sleeps once in cv_wait and, woken, adds
     * its name to {@code woken} (under {@code m}) and checks that no interrupt was made up.
     * Returns once it is asleep (see class doc).
     */
    private Thread cvWaitOnce(String name, KMutex m, KCondVar cv, List<String> woken, Semaphore done)
            throws InterruptedException {
        CountDownLatch announced = new CountDownLatch(1);
        Thread t = start(name, () -> {
            m.enter();
            announced.countDown();
            cv.await(m);
            woken.add(name);
            assertTrue(m.held());
            m.exit();
            assertFalse(Thread.currentThread().isInterrupted(), "cv_wait left an interrupt that never came");
            done.release();
        });
        waitUntilAsleep(m, announced);
        return t;
    }

    /** One cv_signal, then wait until the sleeper it woke has released {@code done}. */
    private static void signalOne(KMutex m, KCondVar cv, Semaphore done) throws InterruptedException {
        m.enter();
        cv.signal();
        m.exit();
        assertTrue(done.tryAcquire(30, TimeUnit.SECONDS), "nobody was woken");
    }

    @Test
    void cvSignalWakesTheLongestSleeperFirst() throws InterruptedException {
        // the FIFO queue of the class doc, emptied and refilled between the wake-ups
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        List<String> woken = new ArrayList<>();
        Semaphore done = new Semaphore(0);
        Thread a = cvWaitOnce("a", m, cv, woken, done);
        Thread b = cvWaitOnce("b", m, cv, woken, done);
        signalOne(m, cv, done);
        Thread c = cvWaitOnce("c", m, cv, woken, done);
        signalOne(m, cv, done);
        signalOne(m, cv, done);
        assertWokenInOrder(List.of(a, b, c), m, woken);
    }

    /** A cv_waituntil_sig whose deadline has passed: it joins the queue and leaves it at once. */
    private void expiredWait(KMutex m, KCondVar cv) {
        m.enter();
        assertEquals(KCondVar.TIMED_OUT, cv.waitUntilSig(m, sched.nowNanos() - 1));
        m.exit();
    }

    /** Every sleeper's thread ended, woken in the order of {@code sleepers}' names. */
    private static void assertWokenInOrder(List<Thread> sleepers, KMutex m, List<String> woken) throws InterruptedException {
        for (Thread t : sleepers) {
            joinOrFail(t);
        }
        m.enter();
        assertEquals(sleepers.stream().map(Thread::getName).toList(), woken);
        m.exit();
    }

    @Test
    void aSleeperWhoseDeadlinePassedLeavesTheQueueAndTheOthersAreStillWoken() throws InterruptedException {
        // a cv_waituntil_sig whose deadline has passed still joins the queue and leaves it
        // (cancelled): alone in the queue, and behind a sleeper; the cv_signals that follow
        // reach every sleeper before and after it
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        List<String> woken = new ArrayList<>();
        Semaphore done = new Semaphore(0);
        expiredWait(m, cv);
        Thread a = cvWaitOnce("a", m, cv, woken, done);
        expiredWait(m, cv);
        Thread b = cvWaitOnce("b", m, cv, woken, done);
        expiredWait(m, cv);
        Thread c = cvWaitOnce("c", m, cv, woken, done);
        for (int i = 0; i < 3; i++) {
            signalOne(m, cv, done);
        }
        assertWokenInOrder(List.of(a, b, c), m, woken);
    }

    /** What a test does between a sleeper's interrupt and the cv_signal that must pass it by. */
    private interface Around {
        void interruptAndSignal(KMutex m, KCondVar cv, Thread interrupted, Semaphore done) throws InterruptedException;
    }

    /**
     * An interruptible sleeper ahead of a cv_wait sleeper on one cv; {@code around} interrupts
     * the first and makes one cv_signal: the interrupted one returns SIGNALLED and the one
     * behind it is woken.
     */
    private void theSignalPassesTheInterruptedSleeperBy(Around around) throws InterruptedException {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        CountDownLatch announced = new CountDownLatch(1);
        AtomicInteger result = new AtomicInteger(99);
        Thread interrupted = sleepUntilNotSignalled("interrupted", m, cv, announced, result, () -> { });
        waitUntilAsleep(m, announced);
        List<String> woken = new ArrayList<>();
        Semaphore done = new Semaphore(0);
        Thread behind = cvWaitOnce("behind", m, cv, woken, done);
        around.interruptAndSignal(m, cv, interrupted, done);
        joinOrFail(interrupted);
        assertEquals(KCondVar.SIGNALLED, result.get());
        joinOrFail(behind);
        m.enter();
        assertEquals(List.of("behind"), woken);
        m.exit();
    }

    @Test
    void anInterruptedSleeperLeavesTheQueueAndTheNextSignalWakesTheOthers() throws InterruptedException {
        // the interrupted cv_waituntil_sig leaves the queue (cancelled) at once: a cv_signal
        // after it goes to the sleeper behind it, and is not spent on the one that left
        theSignalPassesTheInterruptedSleeperBy((m, cv, interrupted, done) -> {
            interrupted.interrupt();
            joinOrFail(interrupted);
            signalOne(m, cv, done);
        });
    }

    @Test
    void aSignalPassesByASleeperThatCancelledButIsNotYetBackUnderTheMutex() throws InterruptedException {
        // an interrupted cv_waituntil_sig cancels at once, but unlinks itself only once it has the
        // mutex again; a cv_signal its holder makes in between must pass it by (its wake-up CAS
        // fails) and wake the sleeper behind it, not be spent on the one that left
        theSignalPassesTheInterruptedSleeperBy((m, cv, interrupted, done) -> {
            m.enter();
            interrupted.interrupt();
            awaitParkedElsewhere(interrupted, cv);     // cancelled, now waiting for the mutex
            cv.signal();
            m.exit();
        });
    }

    /** Returns once {@code t} is parked on something other than {@code cv} (the mutex it wants back). */
    private static void awaitParkedElsewhere(Thread t, Object cv) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Object blocker = LockSupport.getBlocker(t);
            Thread.State st = t.getState();
            if ((st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING) && blocker != null && blocker != cv) {
                return;
            }
            assertTrue(System.nanoTime() < until, t.getName() + " never parked for the mutex");
            Thread.onSpinWait();
        }
    }

    @Test
    void mutexEnterIsNotInterruptibleAndKeepsTheInterruptPending() throws InterruptedException {
        // mutex_enter does not return for a signal: the thread gets the mutex when its holder
        // lets go, and the interrupt is still pending for its next interruptible wait
        KMutex m = sched.newMutex("m");
        boolean[] inside = {false};
        boolean[] pending = {false};
        m.enter();
        Thread t = start("contender", () -> {
            m.enter();
            inside[0] = true;
            pending[0] = Thread.currentThread().isInterrupted();
            m.exit();
        });
        // until it sleeps on the mutex (past its spins): a state, not a time
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING
                && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        t.interrupt();
        assertFalse(inside[0], "the interrupt let the contender into a held mutex");
        m.exit();
        joinOrFail(t);
        m.enter();
        assertTrue(inside[0]);
        assertTrue(pending[0], "mutex_enter swallowed the interrupt");
        m.exit();
    }

    // ---- kmutex_t -----------------------------------------------------------------------------

    @Test
    void heldIsTrueOnlyForTheOwner() throws InterruptedException {
        KMutex m = sched.newMutex("m");
        assertFalse(m.held());
        m.enter();
        assertTrue(m.held());
        boolean[] seenByOther = {true};
        Thread other = start("other", () -> seenByOther[0] = m.held());
        joinOrFail(other);
        assertFalse(seenByOther[0], "held() is true in a thread that does not own the mutex");
        m.exit();
        assertFalse(m.held());
    }

    @Test
    void mutexesAreIndependent() {
        KMutex a = sched.newMutex("a");
        KMutex b = sched.newMutex("b");
        a.enter();
        assertTrue(a.held());
        assertFalse(b.held());
        b.enter();
        assertTrue(b.held());
        a.exit();
        assertFalse(a.held());
        assertTrue(b.held());
        b.exit();
    }

    @Test
    void mutexExcludesOtherThreads() throws InterruptedException {
        KMutex m = sched.newMutex("m");
        CountDownLatch trying = new CountDownLatch(1);
        boolean[] inside = {false};
        int[] counter = {0};
        m.enter();
        Thread other = start("other", () -> {
            trying.countDown();
            m.enter();
            inside[0] = true;
            counter[0]++;
            m.exit();
        });
        await(trying);
        Thread.sleep(50); // a chance to barge in; the assertion holds regardless of timing
        assertFalse(inside[0], "another thread entered a held mutex");
        counter[0]++;
        m.exit();
        joinOrFail(other);
        m.enter();
        assertTrue(inside[0]);
        assertEquals(2, counter[0]);
        m.exit();
    }

    @Test
    void mutualExclusionUnderContention() throws InterruptedException {
        KMutex m = sched.newMutex("m");
        int threads = 8;
        int rounds = 20_000;
        long[] counter = {0};
        AtomicInteger overlaps = new AtomicInteger();
        int[] insideNow = {0};
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            ts.add(start("worker-" + i, () -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int k = 0; k < rounds; k++) {
                    m.enter();
                    if (++insideNow[0] != 1) {
                        overlaps.incrementAndGet();
                    }
                    if (!m.held()) {
                        overlaps.incrementAndGet();
                    }
                    counter[0]++;
                    insideNow[0]--;
                    m.exit();
                }
            }));
        }
        go.countDown();
        for (Thread t : ts) {
            joinOrFail(t);
        }
        m.enter();
        assertEquals((long) threads * rounds, counter[0]);
        m.exit();
        assertEquals(0, overlaps.get());
    }

    @Test
    void heldAfterEachWaitOutcome() throws InterruptedException {
        KMutex m = sched.newMutex("m");
        KCondVar cv = sched.newCondVar("cv");
        m.enter();
        cv.waitUntilSig(m, sched.nowNanos() - 1);                 // timeout without sleeping
        assertTrue(m.held());
        int r;
        do {
            r = cv.waitUntilSig(m, sched.nowNanos() + TimeUnit.MILLISECONDS.toNanos(5));
        } while (r > 0);
        assertTrue(m.held());                                        // timeout after sleeping
        Thread.currentThread().interrupt();
        assertEquals(KCondVar.SIGNALLED, cv.waitUntilSig(m, Sched.NO_DEADLINE));
        assertTrue(m.held());                                        // signal
        m.exit();
        assertFalse(m.held());
    }

    @Test
    void aConditionVariableBelongsToOneMutex() {
        KMutex a = sched.newMutex("a");
        KMutex b = sched.newMutex("b");
        KCondVar cv = sched.newCondVar("cv");
        a.enter();
        assertEquals(KCondVar.TIMED_OUT, cv.waitUntilSig(a, sched.nowNanos() - 1));
        a.exit();
        b.enter();
        try {
            assertThrows(IllegalStateException.class, () -> cv.waitUntilSig(b, sched.nowNanos() - 1));
        } finally {
            b.exit();
        }
    }

    // ---- clock and names ------------------------------------------------------------------

    @Test
    void clockDoesNotGoBackwardsAndNamesAreThreadNames() throws InterruptedException {
        long prev = sched.nowNanos();
        for (int i = 0; i < 1000; i++) {
            long now = sched.nowNanos();
            assertTrue(now - prev >= 0);
            prev = now;
        }
        String[] name = {null};
        Thread t = start("named-thread-42", () -> name[0] = sched.currentThreadName());
        joinOrFail(t);
        assertEquals("named-thread-42", name[0]);
        assertEquals(Thread.currentThread().getName(), sched.currentThreadName());
        sched.pausePoint("delivery"); // no effect on real threads
        assertNotEquals(null, sched.newCondVar("x"));
    }

    @Test
    void releaseHeldFreesOnlyTheCallersMutexesForACallThatDiedInACriticalSection() throws Exception {
        KMutex a = sched.newMutex("portq_mutex#1");
        KMutex b = sched.newMutex("pc_mutex");
        KMutex other = sched.newMutex("other");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start("holder", () -> {
            other.enter();
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            other.exit();
        });
        await(held);
        a.enter();
        b.enter();
        List<String> names = sched.releaseHeld();
        assertEquals(java.util.Set.of("portq_mutex#1", "pc_mutex"), new java.util.HashSet<>(names));
        assertFalse(a.held());
        assertFalse(b.held());
        assertTrue(sched.releaseHeld().isEmpty(), "another thread's mutex is not ours to release");
        release.countDown();
    }
}
