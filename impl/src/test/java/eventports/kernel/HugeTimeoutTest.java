package eventports.kernel;

import eventports.sched.DetSched;
import eventports.sched.RealSched;
import eventports.sched.Sched;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, D1: a valid timeout as large as a 64-bit timespec allows must neither throw inside
 * port_getn's critical section (where an exception would leave portq_mutex held for ever) nor
 * expire: illumos' wrapping deadline arithmetic (port.c:1283-1288, condvar.c cv_waituntil_sig)
 * never reports such a wait as timed out, so the deadline is "none" (Timeout#deadlineFrom).
 */
class HugeTimeoutTest {
    private static final Timeout LARGEST = new Timeout(Long.MAX_VALUE, 999_999_999);

    @Test
    void aDeadlineTheClockCannotHoldIsNoDeadline() {
        assertEquals(Sched.NO_DEADLINE, LARGEST.deadlineFrom(0));
        assertEquals(Sched.NO_DEADLINE, new Timeout(Long.MAX_VALUE, 0).deadlineFrom(0));
        assertEquals(Sched.NO_DEADLINE, new Timeout(9_223_372_036L, 854_775_807).deadlineFrom(1),
                "fits in nanoseconds, but not once now is added");
        assertEquals(Sched.NO_DEADLINE, new Timeout(1, 0).deadlineFrom(Long.MAX_VALUE - 10));
        assertEquals(1_500_000_100L, new Timeout(1, 500_000_000).deadlineFrom(100));
        assertEquals(-5 + 2_000_000_000L, new Timeout(2, 0).deadlineFrom(-5), "nanoTime may be negative");
    }

    @Test
    void theLargestTimeoutWaitsUntilAnEventArrivesOnTheDeterministicRuntime() throws Exception {
        for (Profile profile : Profile.values()) {
            try (Det d = new Det(profile)) {
                Proc p = d.sys.spawn();
                int fd = (int) d.now("S", p::portCreate);
                DetSched.Outcome o = d.call("A", () -> p.portGet(fd, LARGEST));
                assertNull(o.error(), profile + ": " + o.error());
                assertEquals(DetSched.Outcome.Kind.BLOCKED, o.kind(), profile + ": the call waits");
                d.sched.advance(Long.MAX_VALUE);
                assertEquals(DetSched.Outcome.Kind.BLOCKED, d.await("A").kind(), profile + ": and never times out");
                d.now("S", () -> {
                    p.portSend(fd, 3, "late");
                    return 0;
                });
                assertEquals("late", ((PortEvent) d.await("A").value()).user(), profile.name());
            }
        }
    }

    @Test
    void theLargestTimeoutDoesNotWedgeThePortOnRealThreads() throws Exception {
        PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
        Proc p = sys.spawn();
        int fd = p.portCreate();
        Port pp = PortFs.getPort(p, fd);
        CompletableFuture<PortEvent> got = CompletableFuture.supplyAsync(() -> {
            try {
                return p.portGet(fd, LARGEST);
            } catch (PortException e) {
                throw new IllegalStateException(e);
            }
        });
        // wait (bounded) until the getter sleeps in the waiter ring, or failed on the way there
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!got.isDone() && System.nanoTime() - giveUp < 0) {
            // the probe takes portq_mutex in another thread, so a wedged mutex fails the test
            CompletableFuture<Boolean> asleep = CompletableFuture.supplyAsync(() -> {
                pp.portQueue.portqMutex.enter();
                try {
                    return pp.portQueue.portqThread != null;
                } finally {
                    pp.portQueue.portqMutex.exit();
                }
            });
            if (asleep.get(30, TimeUnit.SECONDS)) {
                break;
            }
            Thread.sleep(1);
        }
        CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
            try {
                p.portSend(fd, 1, "wake");
            } catch (PortException e) {
                throw new IllegalStateException(e);
            }
        });
        send.get(30, TimeUnit.SECONDS);
        assertEquals("wake", got.get(30, TimeUnit.SECONDS).user());
        assertTrue(got.isDone());
    }

    @Test
    void aCallThatDiesInsideACriticalSectionLeavesThePortUsable() throws Exception {
        // Issue 18, D1's second half: whatever unchecked exception escapes a call (here an
        // injected one, thrown with portq_mutex held), the system call boundary releases the
        // kernel mutexes the thread still holds, as the deterministic runtime always did.
        PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
        Proc p = sys.spawn();
        int fd = p.portCreate();
        Port pp = PortFs.getPort(p, fd);
        RuntimeException boom = new IllegalStateException("injected");
        CompletableFuture<Void> dies = CompletableFuture.runAsync(() -> {
            try {
                pp.portQueue.portqMutex.enter();
                throw boom;                    // as if thrown by kernel code inside the section
            } catch (RuntimeException x) {
                sys.callDied();                // what every Proc system call does on the way out
                throw x;
            }
        });
        java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> dies.get(30, TimeUnit.SECONDS));
        assertEquals(boom, e.getCause());
        CompletableFuture.runAsync(() -> {
            try {
                p.portSend(fd, 1, "after");
            } catch (PortException x) {
                throw new IllegalStateException(x);
            }
        }).get(30, TimeUnit.SECONDS);
        assertEquals("after", p.portGet(fd, Timeout.POLL).user());
    }
}
