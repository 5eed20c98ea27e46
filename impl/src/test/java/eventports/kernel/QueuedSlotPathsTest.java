package eventports.kernel;

import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * port_subr.c's two answers to a source that acts on a slot still on the port queue
 * (PORT_KEV_DONEQ): port_send_event leaves it queued once, and port_free_event only marks it
 * PORT_KEV_FREE for the next retriever to discard (port.c:1396-1404). The FD and timer sources
 * look at DONEQ first and timer_delete waits for the block, so on the deterministic runtime
 * only a source acting on the slot directly gets there (AIO and real-thread races do). Issue
 * 19: both branches and their records survived mutation, no scenario reaching them.
 */
class QueuedSlotPathsTest {

    /** What a source does next to the slot it has just sent (still queued: PORT_KEV_DONEQ). */
    private interface Then {
        void on(Kevent queued);
    }

    /** A process, its port (descriptor and port) and the slot sent on it. */
    private record Sent(Proc p, int fd, Port pp, Kevent k) {
    }

    /** Thread S creates a port, allocates and sends one USER slot on it, then does {@code then} to it. */
    private static Sent sendThen(Det d, Then then) throws Exception {
        Proc p = d.sys.spawn();
        int fd = (int) d.now("S", p::portCreate);
        Port pp = Det.port(p, fd);
        Kevent k = (Kevent) d.now("S", () -> {
            Kevent kev = PortSubr.portAllocEventLocal(p, pp, Ports.PORT_SOURCE_USER, Ports.PORT_ALLOC_DEFAULT);
            kev.portkevEvents = 1;
            PortSubr.portInitEvent(kev, 0, "u", null, null);
            PortSubr.portSendEvent(kev);
            then.on(kev);
            return kev;
        });
        return new Sent(p, fd, pp, k);
    }

    @Test
    void sendingAQueuedSlotAgainLeavesItQueuedOnce() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS, Layer.PORTFS)) {
            Sent s = sendThen(d, PortSubr::portSendEvent);
            assertEquals(1, s.pp().portQueue.portqNent, "the second send queued nothing");
            TraceRecord again = last(d, "port_send_event");
            assertEquals(true, again.get("already_queued"), again.toString());
            assertEquals(s.k().id, ((Number) again.get("kev")).longValue());
            GetnResult r = (GetnResult) d.now("G", () -> s.p().portGetn(s.fd(), 4, 1, Timeout.POLL));
            assertEquals(1, r.nget(), "one event, delivered once");
            assertEquals(0, s.pp().curr());
        }
    }

    @Test
    void freeingAQueuedSlotMarksItForTheRetrieverToDiscard() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS, Layer.PORTFS)) {
            Sent s = sendThen(d, PortSubr::portFreeEvent);
            assertTrue((s.k().portkevFlags & Ports.PORT_KEV_FREE) != 0, "marked, not freed");
            assertEquals(1, s.pp().curr(), "the slot is still counted while queued");
            TraceRecord free = last(d, "port_free_event");
            assertEquals(true, free.get("marked_free"), free.toString());
            assertEquals(s.k().id, ((Number) free.get("kev")).longValue());
            // a poll for one event takes the queue and discards the freed one: nothing delivered,
            // and a zero timeout returns 0 events without ETIME (port.c:1530, blocking 0)
            GetnResult r = (GetnResult) d.now("G", () -> s.p().portGetn(s.fd(), 4, 1, Timeout.POLL));
            assertEquals(0, r.nget(), "the retriever discards a freed event");
            assertEquals(0, s.pp().curr(), "and gives its slot back");
            assertEquals(0, s.pp().portQueue.portqNent);
        }
    }

    private static TraceRecord last(Det d, String action) {
        List<TraceRecord> rs = d.trace.records().stream().filter(r -> r.action().equals(action)).toList();
        assertTrue(!rs.isEmpty(), "no " + action + " record");
        return rs.get(rs.size() - 1);
    }
}
