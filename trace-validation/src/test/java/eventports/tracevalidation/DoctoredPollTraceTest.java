package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.PollEvents;
import eventports.kernel.Timeout;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static eventports.kernel.Ports.PORT_SOURCE_FD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validator's teeth against doctored traces of port polling (EventPort's port_poll,
 * PORTQ_POLLIN / PORTQ_POLLOUT, port_pollwkup): a genuine run is accepted; a poll that claims
 * POLLIN while the queue is empty, a retrieval's exit that keeps quiet about the deferred
 * POLLIN wake-up, a send that claims a wake-up nobody waited for, a freed slot that does not
 * wake the POLLOUT poller, and a port_pollwkup that claims a poller that is not there are each
 * rejected at the record that betrays them. All variants go to TLC in one batch.
 */
class DoctoredPollTraceTest {
    static List<TraceRecord> inner;
    static List<TraceRecord> outer;
    static List<Verdict> verdicts;

    /**
     * Port pi (max 2 slots) holds two events; a retriever takes them to its temp list and
     * pauses; po's association polls pi for POLLIN|POLLOUT: nothing ready (empty queue, full
     * port), both flags set. The retriever delivers one, freeing a slot (POLLOUT wake-up, which
     * fires po's association), and pushes the other back (the deferred POLLIN wake-up). Then a
     * send on pi while po re-watches it for POLLIN only: no poller for the send, as pi is not empty.
     */
    static List<TraceRecord> run() throws Exception {
        return Doctoring.run(Limits.ILLUMOS_DEFAULTS.withPortMaxEvents(2), (sched, p) -> {
            int[] fds = new int[2];
            sched.call("T1", () -> {
                fds[0] = p.portCreate();
                fds[1] = p.portCreate();
                p.portSend(fds[0], 1, "e1");
                p.portSend(fds[0], 2, "e2");
                return 0;
            }, null);
            assertEquals("PAUSED", sched.call("T2", () -> p.portGet(fds[0], null), "delivery").kind().name());
            sched.call("T1", () -> {
                p.portAssociate(fds[1], PORT_SOURCE_FD, fds[0], PollEvents.POLLIN | PollEvents.POLLOUT, "w");
                return 0;
            }, null);
            assertTrue(sched.await("T2").returned());
            Object n = sched.call("T1", () -> {
                int got = p.portGetn(fds[1], 4, 1, Timeout.POLL).nget();
                p.portAssociate(fds[1], PORT_SOURCE_FD, fds[0], PollEvents.POLLIN, "w2");
                p.portGet(fds[0], Timeout.POLL);
                p.portSend(fds[0], 3, "e3");
                return got;
            }, null).value();
            assertEquals(1, n, "the POLLOUT wake-up fired po's association");
        });
    }

    private static List<TraceRecord> ofPort(List<TraceRecord> rs, int port) {
        List<TraceRecord> out = new ArrayList<>();
        for (TraceRecord r : rs) {
            if (r.port() == port) {
                out.add(r);
            }
        }
        return out;
    }

    private static int first(List<TraceRecord> rs, String action, String field) {
        return Doctoring.indexOf(rs, r -> r.action().equals(action) && (field == null || r.get(field) != null), 0);
    }

    @BeforeAll
    static void validateAll() throws Exception {
        List<TraceRecord> all = run();
        int piPort = all.get(0).port();
        inner = ofPort(all, piPort);
        outer = ofPort(all, all.stream().filter(r -> r.port() != piPort).findFirst().orElseThrow().port());
        // the poll claims POLLIN although the retriever holds the events on its temp list
        List<TraceRecord> pollLies = new ArrayList<>(inner);
        int k = first(inner, "port_poll", null);
        pollLies.set(k, Doctoring.with(inner.get(k), "revents", PollEvents.POLLIN));
        // the retriever's exit does not say that it woke the POLLIN poller
        List<TraceRecord> quietExit = new ArrayList<>(inner);
        int u = first(inner, "port_unblock", "pollwakeup");
        quietExit.set(u, without(inner.get(u), "pollwakeup"));
        // the last send claims a wake-up although nobody waited for POLLIN
        List<TraceRecord> wokeNobody = new ArrayList<>(inner);
        int s = lastSend(inner);
        wokeNobody.set(s, Doctoring.with(inner.get(s), "pollwakeup", "POLLIN"));
        // the freed slot does not wake the POLLOUT poller
        List<TraceRecord> keptPollout = new ArrayList<>(inner);
        int c = first(inner, "port_copy_event", "pollwakeup");
        keptPollout.set(c, without(inner.get(c), "pollwakeup"));
        // po's port_pollwkup claims a poller of po that nobody registered
        List<TraceRecord> phantom = new ArrayList<>(outer);
        int w = first(outer, "port_pollwkup", null);
        phantom.set(w, Doctoring.with(outer.get(w), "events", PollEvents.POLLIN));

        verdicts = Doctoring.validate(List.of("inner", "outer", "pollLies", "quietExit", "wokeNobody", "keptPollout",
                "phantom"), List.of(inner, outer, pollLies, quietExit, wokeNobody, keptPollout, phantom), x -> 2);
    }

    private static int lastSend(List<TraceRecord> rs) {
        int s = rs.size() - 1;
        while (!rs.get(s).action().equals("port_send_event")) {
            s--;
        }
        return s;
    }

    private static TraceRecord without(TraceRecord r, String key) {
        java.util.Map<String, Object> f = new java.util.LinkedHashMap<>(r.fields());
        assertTrue(f.remove(key) != null, key + " in " + r);
        return new TraceRecord(r.seq(), r.action(), r.thread(), r.pid(), r.port(), f);
    }

    @Test
    void theGenuineRunIsABehaviourOfTheSpec() {
        assertTrue(verdicts.get(0).accepted(), verdicts.get(0).report());
        assertTrue(verdicts.get(1).accepted(), verdicts.get(1).report());
        for (String a : List.of("port_poll", "port_unblock", "port_copy_event")) {
            assertTrue(inner.stream().anyMatch(r -> r.action().equals(a) && (a.equals("port_poll")
                    || r.get("pollwakeup") != null)), "the run exercises " + a + ": " + inner);
        }
        assertTrue(outer.stream().anyMatch(Doctoring.action("port_pollwkup")), "po's association fired: " + outer);
    }

    @Test
    void aPollThatSeesEventsOnTheTempListIsRejected() {
        Verdict v = verdicts.get(2);
        assertFalse(v.accepted(), "POLLIN only while portq_nent > 0 (port_vnops.c port_poll)");
        assertEquals(first(inner, "port_poll", null) + 1, v.firstRejected(), v.report());
    }

    @Test
    void aRetrievalThatHidesTheDeferredWakeupIsRejected() {
        Verdict v = verdicts.get(3);
        assertFalse(v.accepted(), "port.c:1511-1518 wakes the poller that found the queue empty");
        assertEquals(first(inner, "port_unblock", "pollwakeup") + 1, v.firstRejected(), v.report());
    }

    @Test
    void aSendThatWakesAPollerNobodyRegisteredIsRejected() {
        Verdict v = verdicts.get(4);
        assertFalse(v.accepted(), "port_send_event wakes pollers only when PORTQ_POLLIN is set");
        assertEquals(lastSend(inner) + 1, v.firstRejected(), v.report());
    }

    @Test
    void aFreedSlotThatWakesNoPolloutPollerIsRejected() {
        Verdict v = verdicts.get(5);
        assertFalse(v.accepted(), "port_free_event_local wakes the POLLOUT poller (port_subr.c)");
        assertEquals(first(inner, "port_copy_event", "pollwakeup") + 1, v.firstRejected(), v.report());
    }

    @Test
    void aPollwkupForAnUnpolledPortIsRejected() {
        Verdict v = verdicts.get(6);
        assertFalse(v.accepted(), "port_pollwkup acts only on PORTQ_POLLIN");
        assertEquals(first(outer, "port_pollwkup", null) + 1, v.firstRejected(), v.report());
    }
}
