package eventports.conformance;

import eventports.kernel.Profile;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lock-level records that only report a check (trace-validation/FORMAT.md: "a check"),
 * written where the spec changes no state: the step that decided sits in another record, so
 * TLC accepts a trace without them, and their loss would go unseen (issue 19: each survived
 * mutation). Each is asserted here in the corpus scenario whose account (its "about") says the
 * checked thing happens, in every profile the scenario runs in.
 */
class CheckRecordsTest {
    @Test
    void aLastCloseWokenWhileAWaiterIsInSaysSoAndSleepsOn() throws Exception {
        // port_vnops.c port_close: the thrcnt loop's record after a wake-up that finds thrcnt > 0
        expect("close-last-woken-by-send-waits-for-waiter", "T0", "port_close",
                Map.of("lastclose", 1, "resume", true, "thrcnt", 1, "signalled", "T1"));
    }

    @Test
    void aLastCloseThatWaitsForAllocatedSlotsSaysSo() throws Exception {
        // port_vnops.c port_close: port_curr > portq_nent after the sources' callbacks
        expect("close-last-waits-for-every-allocated-send", "T0", "port_close_sources",
                Map.of("wait", true, "curr", 2, "nent", 0));
        expect("close-last-waits-for-every-allocated-send", "T0", "port_close",
                Map.of("resume", true, "wait", false, "curr", 2, "nent", 2));
    }

    @Test
    void aLastCloseThatWaitsForAPendingPollwakeupSaysSo() throws Exception {
        // port_vnops.c port_close_events: PORTQ_POLLWK_PEND, the sleep on portq_closecv and the
        // check after it (F12: the corrected profile's pollwkdone signals the closer)
        expect("finding-f12-close-misses-pollwkdone-corrected", "T3", "port_close_events",
                Map.of("pollwk_pend", true, "resume", false));
        expect("finding-f12-close-misses-pollwkdone-corrected", "T3", "port_close_events",
                Map.of("pollwk_pend", false, "resume", true));
    }

    @Test
    void aFreedSlotThatWakesPolloutPollersSaysSo() throws Exception {
        // port_subr.c port_free_event_local: freeing a slot of a full port clears PORTQ_POLLOUT
        expect("timer-per-process-close-frees-slot-pollout", "T1", "port_free_event_local",
                Map.of("pollwakeup", "POLLOUT", "curr", 0));
    }

    /** Every run of {@code scenario} has a record of {@code thread} with this action and these fields. */
    private static void expect(String scenario, String thread, String action, Map<String, Object> fields)
            throws Exception {
        Scenario sc = Scenario.parse(ConformanceCorpusTest.CORPUS.resolve(scenario + ".json"));
        for (Profile p : sc.profiles()) {
            MemorySink sink = new MemorySink();
            ScenarioRun.Verdict v = new ScenarioRun(sc, p, sink).run();
            assertTrue(v.passed(), v.failure());
            Predicate<TraceRecord> match = r -> r.action().equals(action) && r.thread().equals(thread)
                    && fields.entrySet().stream().allMatch(e -> same(r.get(e.getKey()), e.getValue()));
            List<TraceRecord> rs = sink.records();
            assertTrue(rs.stream().anyMatch(match),
                    scenario + " [" + p.id() + "]: no " + action + " of " + thread + " with " + fields + " in\n"
                            + String.join("\n", rs.stream().map(TraceRecord::toString).toList()));
        }
    }

    private static boolean same(Object got, Object want) {
        return got instanceof Number n && want instanceof Number w ? n.longValue() == w.longValue() : want.equals(got);
    }
}
