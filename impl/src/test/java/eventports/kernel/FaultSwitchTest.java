package eventports.kernel;

import eventports.sched.DetSched;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Two of the core's fault switches (CoreFault), which the explorers must find, do what they
 * say on the deterministic runtime: a switch that did nothing would make their tests pass for
 * the wrong reason (issue 19: PIT found both branches uncovered by the core's own tests).
 */
class FaultSwitchTest {

    @Test
    void lostPushbackDropsTheEventsARetrieverLeaves() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            d.sys.inject(CoreFault.LOST_PUSHBACK);
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            Port pp = Det.port(p, fd);
            d.sendUsers(p, fd, "a", "b", "c");
            assertEquals(1, ((GetnResult) d.now("R", () -> p.portGetn(fd, 1, 1, null))).events().size());
            PortQueue.Snapshot s = pp.queue().snapshot();
            assertEquals(0, s.nent(), "b and c were not pushed back");
            assertEquals(0, s.tnent());
            assertEquals(0, pp.portQueue.portqGetList.size());
        }
    }

    @Test
    void fifoWaitersAppendsANewWaiterAtTheTail() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            d.sys.inject(CoreFault.FIFO_WAITERS);
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            Port pp = Det.port(p, fd);
            d.locked("S", pp, () -> {
                Waiter a = PortGetn.portQueueThread(p, pp, 2);
                Waiter b = PortGetn.portQueueThread(p, pp, 1);          // port.c would make it the head
                assertSame(a, pp.portQueue.portqThread);
                assertSame(b, a.portgetNext);
                assertSame(a, b.portgetNext);
                assertSame(b, a.portgetPrev);
                return null;
            });
            assertEquals(DetSched.Outcome.Kind.RETURNED, d.call("S", () -> 0).kind());
        }
    }
}
