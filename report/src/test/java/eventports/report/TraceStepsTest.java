package eventports.report;

import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceStepsTest {

    private static TraceRecord rec(long seq, String action, String thread, Object... kv) {
        Map<String, Object> f = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.put((String) kv[i], kv[i + 1]);
        }
        return new TraceRecord(seq, action, thread, 4, 7, f);
    }

    @Test
    void fieldsBecomeDetailCountersWakeArrowsAndSleeps() {
        List<Step> steps = TraceSteps.steps(List.of(
                rec(3, "port_send_event", "S", "kev", 12, "nent", 1, "woke", "W1", "already_queued", false),
                rec(1, "port_queue_thread", "W1", "nget", 1),
                rec(5, "port_close", "C", "count", 1, "lastclose", 1, "thrcnt", 2),
                rec(6, "port_alert", "A", "events", 1, "woke", List.of("W1", "W2")),
                rec(7, "cv_waituntil_sig", "W1", "outcome", "wakeup", "error", null),
                rec(8, "port_check_return_cond", "W1", "thrcnt", 0, "signalled", "closecv"),
                rec(9, "port_check_return_cond", "W2", "thrcnt", 0, "crash", true)), Set.of(3L));

        assertEquals(List.of("port_queue_thread", "port_send_event", "port_close", "port_alert", "cv_waituntil_sig",
                "port_check_return_cond", "port_check_return_cond"), steps.stream().map(Step::action).toList(),
                "sequence order");
        Step queue = steps.get(0), send = steps.get(1), close = steps.get(2), alert = steps.get(3);
        Step wake = steps.get(4), leave = steps.get(5), crash = steps.get(6);

        assertTrue(queue.sleeps(), "a waiter sleeps once it is on the ring");
        assertEquals("kev 12", send.detail(), "false flags and counters are not detail");
        assertEquals(List.of("W1"), send.wakes());
        assertEquals(PortState.counters(1, null, null), send.state());
        assertEquals("port 7", send.port());
        assertEquals(4, send.pid());
        assertTrue(send.highlight(), "the caller's highlighted seq");
        assertTrue(close.sleeps(), "a last close with threads inside sleeps on closecv");
        assertEquals(List.of("W1", "W2"), alert.wakes());
        assertTrue(wake.fromPort());
        assertEquals("outcome wakeup", wake.detail());
        assertNull(wake.state());
        assertEquals(List.of("C"), leave.wakes(), "closecv is the last closer's sleep");
        assertTrue(crash.highlight());
        assertEquals("crash", crash.detail());
        assertFalse(leave.highlight());
    }

    @Test
    void closecvWithoutAKnownCloserStaysInTheDetail() {
        List<Step> steps = TraceSteps.steps(List.of(rec(1, "port_check_return_cond", "W", "signalled", "closecv")),
                Set.of());
        assertEquals(List.of(), steps.get(0).wakes());
        assertEquals("signalled closecv", steps.get(0).detail());
    }

    @Test
    void theCoresTraceOfThe1720RaceShowsTheCrashAndTheWakeUp() throws Exception {
        // the real thing: the race run on the core, so the adapter keeps up with what it emits
        List<TraceRecord> records = Demo.crashRace();
        List<Step> steps = TraceSteps.steps(records, Set.of());
        assertEquals(records.size(), steps.size());
        Step last = steps.stream().filter(Step::highlight).findFirst().orElseThrow();
        assertEquals("port_check_return_cond", last.action());
        assertEquals("T1", last.thread());
        assertTrue(steps.stream().anyMatch(s -> s.thread().equals("T0") && s.wakes().contains("T1")),
                "the last close wakes the waiter");
        assertTrue(steps.stream().anyMatch(s -> s.thread().equals("T1") && s.fromPort()), "T1 returns from its sleep");
        assertTrue(steps.stream().anyMatch(s -> s.thread().equals("T1") && s.sleeps()), "T1 sleeps in the port");
        Svg.parse(SequenceDiagram.svg(TraceSteps.interleaving("1720", "illumos", Interleaving.Kind.FAILING_PROGRAM,
                "", records, Set.of())));
    }
}
