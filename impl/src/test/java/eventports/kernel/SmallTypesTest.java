package eventports.kernel;

import eventports.sched.Sched;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel's small types at their boundaries, which the scenarios pass through without
 * looking (issue 19: PIT's mutants of these survived the corpus): limits of 0, the last finite
 * timeout, the USER slot cache's bound, the caller's event list.
 */
class SmallTypesTest {

    @Test
    void aLimitOfZeroIsALimitANegativeOneIsRefused() {
        Limits zero = new Limits(0, 0, 0, 0);
        assertEquals(0, zero.portMaxEvents() + zero.portMaxIds() + zero.portMaxList() + zero.fdMax());
        assertThrows(IllegalArgumentException.class, () -> new Limits(-1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, 0, 0, -1));
    }

    @Test
    void theLargestSecondCountWithoutOverflowIsAFiniteDeadline() {
        long sec = Long.MAX_VALUE / Timeout.NANOSEC;                     // sec * NANOSEC fits
        assertEquals(sec * Timeout.NANOSEC, new Timeout(sec, 0).deadlineFrom(0));
        assertEquals(Sched.NO_DEADLINE, new Timeout(sec + 1, 0).deadlineFrom(0));
    }

    @Test
    void aTimeoutInMillisecondsIsSecondsAndNanoseconds() {
        assertEquals(new Timeout(1, 500_000_000L), Timeout.ofMillis(1500));
        assertEquals(new Timeout(0, 999_000_000L), Timeout.ofMillis(999));
        assertEquals(Timeout.POLL, Timeout.ofMillis(0));
    }

    @Test
    void everyObjectHasItsOwnIdAndInjectGivesTheSystemBack() throws Exception {
        // ids name ports and pollable objects in trace records and the CLI's output
        PortSystem sys = new PortSystem(Profile.ILLUMOS, new eventports.sched.RealSched());
        Proc p = sys.spawn();
        Port a = (Port) p.file(p.portCreate()).vnode();
        Port b = (Port) p.file(p.portCreate()).vnode();
        PollObject o = (PollObject) p.file(p.fdOpen()).vnode();
        assertEquals(3, new HashSet<>(java.util.List.of(a.id, b.id, o.id)).size());
        assertSame(sys, sys.inject(CoreFault.WAIT_EVENTS_KEPT), "inject returns the system, for chaining");
    }

    @Test
    void layersAndSourcesByName() {
        assertSame(Layer.PORTFS, Layer.of("portfs"));
        assertSame(Layer.DESCRIPTORS, Layer.of("descriptors"));
        assertThrows(IllegalArgumentException.class, () -> Layer.of("fio"));
        assertEquals("PORT_SOURCE_TIMER", Ports.sourceName(Ports.PORT_SOURCE_TIMER));
        assertEquals(Ports.PORT_SOURCE_FD, Ports.sourceOf("PORT_SOURCE_FD"));
        assertEquals("99", Ports.sourceName(99), "a source without a name is its number");
        assertEquals(-1, Ports.sourceOf("PORT_SOURCE_NONE"));
    }

    @Test
    void onlyDefaultSlotsAreFreedOnDelivery() {
        Kevent k = new Kevent(1);
        k.portkevFlags = Ports.PORT_ALLOC_DEFAULT;
        assertTrue(Ports.portFreeEvent(k));
        k.portkevFlags = Ports.PORT_ALLOC_CACHED;
        assertFalse(Ports.portFreeEvent(k));
        k.portkevFlags = Ports.PORT_ALLOC_SCACHED;
        assertFalse(Ports.portFreeEvent(k));
    }

    @Test
    void theSlotCacheKeepsAtMostItsBoundAndHandsBackWhatItKept() {
        PortSystem sys = new PortSystem(Profile.ILLUMOS, new eventports.sched.DetSched());
        Port pp = new Port(sys, 1, 10, 10, 1);
        int n = Port.KEV_CACHE_MAX + 5;
        Set<Kevent> freed = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Kevent k = new Kevent(i);
            freed.add(k);
            pp.kevCacheFree(k);
        }
        int reused = 0;
        for (int i = 0; i < n; i++) {
            if (freed.contains(pp.kevCacheAlloc())) {
                reused++;
            }
        }
        assertEquals(Port.KEV_CACHE_MAX, reused, "slots kept by the cache");
        // a steady state of one send and one delivery reuses one slot for ever
        Kevent one = pp.kevCacheAlloc();
        for (int i = 0; i < 3 * Port.KEV_CACHE_MAX; i++) {
            pp.kevCacheFree(one);
            assertSame(one, pp.kevCacheAlloc());
        }
    }

    @Test
    void theEventListCountsWhatWasWrittenAndRefusesTheRest() {
        PortEvents l = new PortEvents(1);
        assertEquals(0, l.count());
        assertThrows(IndexOutOfBoundsException.class, () -> l.user(0));
        l.add(1, Ports.PORT_SOURCE_USER, 7, "a");
        l.add(2, Ports.PORT_SOURCE_USER, 8, "b");                      // grows past its capacity
        assertEquals(2, l.count());
        assertEquals("b", l.user(1));
        assertEquals(8, l.object(1));
        assertEquals(2, l.events(1));
        assertThrows(IndexOutOfBoundsException.class, () -> l.user(2));
        assertThrows(IndexOutOfBoundsException.class, () -> l.user(-1));
        l.truncate(1);
        assertEquals(1, l.count());
        assertThrows(IndexOutOfBoundsException.class, () -> l.user(1));
    }

    @Test
    void anEmptyKeventListIsEmptyAndOneWithAnEventIsNot() {
        KeventList l = new KeventList();
        assertTrue(l.isEmpty());
        l.insertTail(new Kevent(1));
        assertFalse(l.isEmpty());
    }

    @Test
    void dupGivesANewDescriptorOfTheSamePortAndExitedSaysWhenExitBegan() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            int fd2 = (int) d.now("S", () -> p.dup(fd));
            assertTrue(fd2 != fd && fd2 > 0, "dup returned " + fd2);
            d.now("S", () -> {
                p.portSend(fd2, 1, "via dup");
                return 0;
            });
            Kevent queued = Det.port(p, fd).portQueue.portqList.head();
            assertSame(Det.port(p, fd), queued.port(), "the slot belongs to the port");
            assertEquals("via dup", ((PortEvent) d.now("S", () -> p.portGet(fd, Timeout.POLL))).user());
            assertFalse(p.exited());
            d.now("S", () -> {
                p.exit();
                return 0;
            });
            assertTrue(p.exited());
        }
    }

    @Test
    void aBlockedOrPausedCallHasNotReturned() {
        assertFalse(new eventports.sched.DetSched.Outcome(eventports.sched.DetSched.Outcome.Kind.BLOCKED, null, null)
                .returned());
        assertFalse(new eventports.sched.DetSched.Outcome(eventports.sched.DetSched.Outcome.Kind.PAUSED, null, null)
                .returned());
    }
}
