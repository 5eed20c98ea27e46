package eventports.kernel;

import eventports.sched.DetSched;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The events a retriever leaves go back onto the port queue itself (port_subr.c
 * port_push_eventq; fix PushHead puts them in front), so that the queue's invariant holds again
 * when portq_mutex is free: portq_nent = length of portq_list (PortQueue's note). Issue 19: PIT
 * removed the second list move of the head push-back and no scenario noticed, since the next
 * retrieval takes the temp list along anyway.
 */
class PushBackTest {

    private static List<Object> users(GetnResult r) {
        return r.events().stream().map(PortEvent::user).collect(Collectors.toList());
    }

    private static void pushBack(Profile profile, List<Object> thenRetrieved) throws Exception {
        try (Det d = new Det(profile)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            Port pp = Det.port(p, fd);
            d.sendUsers(p, fd, "a", "b", "c");
            assertEquals(DetSched.Outcome.Kind.PAUSED,
                    d.pauseAtDelivery("R", () -> p.portGetn(fd, 1, 1, null)).kind());
            d.now("S", () -> {
                p.portSend(fd, 1, "d");
                return 0;
            });
            assertEquals(List.of("a"), users((GetnResult) d.await("R").value()));
            PortQueue.Snapshot s = pp.queue().snapshot();
            assertEquals(0, s.tnent(), "the temp list was pushed back");
            assertEquals(3, s.nent());
            assertEquals(3, s.listLength(), "portq_nent counts the events on portq_list");
            assertEquals(thenRetrieved, users((GetnResult) d.now("R", () -> p.portGetn(fd, 3, 3, Timeout.POLL))));
        }
    }

    @Test
    void illumosPushesTheLeftoversBehindTheNewArrival() throws Exception {
        pushBack(Profile.ILLUMOS, List.of("d", "b", "c"));
    }

    @Test
    void correctedPushesTheLeftoversInFront() throws Exception {
        pushBack(Profile.CORRECTED, List.of("b", "c", "d"));
    }
}
