package eventports.stress;

import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The online accounting's teeth: doctored record streams (an event delivered twice, a delivery
 * the getter never saw, a send the API did not report, an event left queued) are each caught,
 * and the honest stream passes.
 */
class AccountingSinkTest {
    private static long seq;

    private static TraceRecord rec(String action, int port, Object... kv) {
        java.util.LinkedHashMap<String, Object> f = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.put((String) kv[i], kv[i + 1]);
        }
        return new TraceRecord(seq++, action, Thread.currentThread().getName(), 1, port, f);
    }

    /** One send of user 7 to port 1 (kevent 1), then one get that delivers it. */
    private static AccountingSink honest(boolean deliverTwice, boolean getterSeesIt) {
        AccountingSink s = new AccountingSink(null);
        s.beginCall(7);
        s.record(rec("port_send_event", 1, "kev", 1L, "source", 3, "noshare", false, "nent", 1, "woke", null));
        s.endCall(List.of(AccountingSink.key(1, 7)), List.of(), "send");
        s.beginCall(-1);
        s.record(rec("portnowait", 1));
        s.record(rec("port_copy_event", 1, "kev", 1L, "outcome", "deliver"));
        if (deliverTwice) {
            s.record(rec("port_copy_event", 1, "kev", 1L, "outcome", "deliver"));
        }
        s.endCall(List.of(), getterSeesIt ? List.of(AccountingSink.key(1, 7)) : List.of(), "get");
        return s;
    }

    @Test
    void anHonestStreamHasNoFailuresAndNothingInFlight() {
        AccountingSink s = honest(false, true);
        assertEquals(List.of(), List.copyOf(s.failures));
        assertEquals(0, s.inFlight());
        assertEquals(1, s.traceSent.get());
        assertEquals(1, s.traceDelivered.get());
    }

    @Test
    void aSecondDeliveryOfOneKeventIsCaught() {
        AccountingSink s = honest(true, true);
        assertEquals(1, s.duplicates.get());
        assertTrue(s.failures.stream().anyMatch(f -> f.contains("not queued")), s.failures.toString());
    }

    @Test
    void aDeliveryTheGetterDidNotReceiveIsCaught() {
        AccountingSink s = honest(false, false);
        assertTrue(s.failures.stream().anyMatch(f -> f.contains("received []")), s.failures.toString());
    }

    @Test
    void aSendTheApiDidNotReportIsCaughtAndAQueuedEventStaysInFlight() {
        AccountingSink s = new AccountingSink(null);
        s.beginCall(9);
        s.record(rec("port_send_event", 2, "kev", 5L, "source", 3, "noshare", false, "nent", 1, "woke", null));
        s.endCall(List.of(), List.of(), "send");
        assertTrue(s.failures.stream().anyMatch(f -> f.contains("port_send_event records say")), s.failures.toString());
        assertEquals(1, s.inFlight());
    }

    @Test
    void aLostPassIsTakenFromTheGettersDeliveries() {
        AccountingSink s = new AccountingSink(null);
        s.beginCall(7);
        s.record(rec("port_send_event", 1, "kev", 1L));
        s.endCall(List.of(AccountingSink.key(1, 7)), List.of(), "send");
        s.beginCall(-1);
        s.record(rec("port_block", 1));
        s.record(rec("port_copy_event", 1, "kev", 1L, "outcome", "deliver"));
        s.record(rec("port_unblock", 1, "lost", 2));      // doctored: the pass delivered one
        s.endCall(List.of(), List.of(), "get");
        assertEquals(1, s.lost.get());
        assertTrue(s.failures.stream().anyMatch(f -> f.contains("lost=2 but the pass delivered 1")), s.failures.toString());
        assertEquals(1, s.failures.size(), s.failures.toString());
    }

    @Test
    void aSendOutsideAHarnessCallIsCaught() {
        AccountingSink s = new AccountingSink(null);
        s.record(rec("port_send_event", 1, "kev", 1L, "nent", 1));
        assertTrue(s.failures.stream().anyMatch(f -> f.contains("outside a send call")), s.failures.toString());
    }
}
