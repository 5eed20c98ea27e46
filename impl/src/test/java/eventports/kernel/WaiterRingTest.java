package eventports.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** port_queue_thread's exact insertion rule (port.c:1798-1839) and dequeue (port.c:1845-1859). */
class WaiterRingTest {

    /** Insert waiters with these counts in order; return the ring's counts from the head, and portq_nget. */
    private static List<Integer> ring(int... counts) throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T", p::portCreate);
            Port pp = Det.port(p, fd);
            List<Integer> order = new ArrayList<>();
            d.locked("T", pp, () -> {
                for (int c : counts) {
                    PortGetn.portQueueThread(p, pp, c);
                }
                Waiter w = pp.portQueue.portqThread;
                do {
                    order.add(w.portgetNget);
                    w = w.portgetNext;
                } while (w != pp.portQueue.portqThread);
                assertEquals(order.get(0), pp.portQueue.portqNget, "portq_nget is the head's count (port.c:1837)");
                return null;
            });
            return order;
        }
    }

    @Test
    void newcomerWithLargerCountThanTheOnlyWaiterBecomesHead() throws Exception {
        // port.c:1818-1836: counts 1 then 2 give ring [2, 1] with portq_nget = 2
        assertEquals(List.of(2, 1), ring(1, 2));
    }

    @Test
    void smallerCountGoesBeforeLarger() throws Exception {
        assertEquals(List.of(1, 2), ring(2, 1));
    }

    @Test
    void tiesAreLifo() throws Exception {
        // the walk stops at the first waiter with count >= new count and inserts before it
        assertEquals(List.of(1, 1, 1), ring(1, 1, 1));
        assertEquals(List.of(2, 3), ring(3, 2));
    }

    @Test
    void aTieGoesBeforeTheEarlierWaiterNotAfterIt() throws Exception {
        // LIFO among equal counts, told apart by identity: C(2), A(1) give [A, C]; B(1) stops
        // at A (1 <= 1) and becomes the head: [B, A, C] (issue 19: a strict < walked past A)
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T", p::portCreate);
            Port pp = Det.port(p, fd);
            d.locked("T", pp, () -> {
                Waiter c = PortGetn.portQueueThread(p, pp, 2);
                Waiter a = PortGetn.portQueueThread(p, pp, 1);
                Waiter b = PortGetn.portQueueThread(p, pp, 1);
                assertSame(b, pp.portQueue.portqThread);
                assertSame(a, b.portgetNext);
                assertSame(c, a.portgetNext);
                return null;
            });
            assertEquals(3, pp.queue().snapshot().waiters());
        }
    }

    @Test
    void largestCountLandsBeforeTheLastWaiter() throws Exception {
        // ring [1, 2]; a 5 walks to the last waiter (2) and is inserted before it: [1, 5, 2]
        assertEquals(List.of(1, 5, 2), ring(2, 1, 5));
    }

    @Test
    void dequeueOfHeadRefreshesNget() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T", p::portCreate);
            Port pp = Det.port(p, fd);
            d.locked("T", pp, () -> {
                Waiter a = PortGetn.portQueueThread(p, pp, 1);
                PortGetn.portQueueThread(p, pp, 4);
                // ring [4, 1]: the head is the 4
                assertEquals(4, pp.portQueue.portqNget);
                PortGetn.portDequeueThread(p, pp, pp.portQueue.portqThread, "OK");
                assertEquals(1, pp.portQueue.portqNget);
                PortGetn.portDequeueThread(p, pp, a, "OK");
                assertEquals(0, pp.portQueue.portqNget);
                assertEquals(null, pp.portQueue.portqThread);
                return null;
            });
        }
    }

    @Test
    void ringOperationsAssertTheMutexIsHeld() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T", p::portCreate);
            Port pp = Det.port(p, fd);
            var o = d.call("T", () -> PortGetn.portQueueThread(p, pp, 1));
            assertEquals(AssertionError.class, o.error().getClass(), "called without portq_mutex must assert");
        }
    }
}
