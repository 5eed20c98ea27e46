package eventports.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the last close leaves behind (port_vnops.c port_close, port_close_events), seen through
 * the port's counters, which no scenario can read once the port is gone (issue 19: PIT removed
 * the call of port_close_events and no scenario noticed).
 */
class LastCloseTest {

    @Test
    void theLastCloseFreesEveryQueuedEventAndItsSlot() throws Exception {
        // port_vnops.c port_close_events: unlink every queued event and release its slot
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            Port pp = Det.port(p, fd);
            for (String u : new String[] {"a", "b", "c"}) {
                d.now("S", () -> {
                    p.portSend(fd, 1, u);
                    return 0;
                });
            }
            assertEquals(3, pp.curr());
            d.now("S", () -> {
                p.close(fd);
                return 0;
            });
            PortQueue.Snapshot s = pp.queue().snapshot();
            assertEquals(0, s.nent(), "queued events after the last close");
            assertEquals(0, s.listLength(), "events left on portq_list");
            assertEquals(0, pp.curr(), "slots still allocated after the last close");
        }
    }
}
