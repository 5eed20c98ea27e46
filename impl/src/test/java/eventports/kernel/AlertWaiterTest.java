package eventports.kernel;

import eventports.sched.DetSched;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A waiter that an alert wakes leaves the waiter ring (port.c:1296-1303, port_dequeue_thread),
 * so that the next send wakes the next waiter, not the one that is gone. Issue 19: PIT removed
 * that port_dequeue_thread and no scenario noticed.
 */
class AlertWaiterTest {

    @Test
    void anAlertedWaiterLeavesTheRing() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            Port pp = Det.port(p, fd);
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("A", () -> p.portGet(fd, null)).kind());
            d.now("S", () -> {
                p.portAlert(fd, Ports.PORT_ALERT_SET, 1, "alert");
                return 0;
            });
            assertEquals("alert", ((PortEvent) d.await("A").value()).user());
            assertEquals(0, pp.queue().snapshot().waiters(), "the alerted waiter is off the ring");
            assertEquals(0, pp.queue().snapshot().thrcnt(), "the alerted waiter left port_getn (port.c:1302)");
            d.now("S", () -> {
                p.portAlert(fd, Ports.PORT_ALERT_SET, 0, null);
                return 0;
            });
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("B", () -> p.portGet(fd, null)).kind());
            d.now("S", () -> {
                p.portSend(fd, 1, "x");
                return 0;
            });
            assertTrue(d.sched.find("B").runnable(), "the send woke the waiter on the ring");
            assertEquals("x", ((PortEvent) d.await("B").value()).user());
        }
    }
}
