package eventports.kernel;

import eventports.sched.DetSched;
import eventports.sources.TimerSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The last close waits until every allocated slot is freed or queued (port_vnops.c port_close:
 * port_curr &lt;= portq_nent), and port_free_event signals portq_closecv when a freed slot ends
 * that wait (port_subr.c). A slot can be outstanding there when timer_delete, which names no
 * port descriptor, has taken the timer's slot off the timer before the close's timer_close_port
 * ran and frees it afterwards. Issue 19: PIT removed that signal and no scenario noticed (no
 * scenario op deletes a timer).
 */
class CloseSlotWaitTest {

    @Test
    void aSlotFreedByTimerDeleteEndsTheLastClosesWait() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS, Layer.PORTFS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            Port pp = Det.port(p, fd);
            int timer = (int) d.now("S", () -> TimerSource.timerCreate(p, fd, "t"));
            d.now("S", () -> {
                p.portSend(fd, 1, "a");
                return 0;
            });
            assertEquals(2, pp.curr());
            // a retriever holds PORTQ_BLOCKED: timer_delete, past the timer's own lock, waits
            // for the block in port_remove_done_event, the timer's slot still allocated
            assertEquals(DetSched.Outcome.Kind.PAUSED,
                    d.pauseAtDelivery("R", () -> p.portGetn(fd, 1, 1, null)).kind());
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T", () -> {
                TimerSource.timerDelete(p, timer);
                return 0;
            }).kind());
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("C", () -> {
                p.close(fd);
                return 0;
            }).kind());
            d.await("R");
            // the closer: thrcnt is 0, timer_close_port finds no slot on the timer, and the
            // timer's slot is neither free nor queued: it sleeps on portq_closecv
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.await("C").kind());
            assertFalse(d.sched.find("C").runnable());
            assertTrue(d.await("T").returned());
            assertTrue(d.sched.find("C").runnable(), "port_free_event woke the last close");
            assertTrue(d.await("C").returned());
            assertEquals(0, pp.curr());
        }
    }
}
