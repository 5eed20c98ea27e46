package eventports.bench;

import eventports.kernel.Limits;
import eventports.kernel.Profile;
import eventports.trace.TraceRecord;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmarked core keeps the protocol's steps (issue 16, "the rule"): the throughput
 * workload, traced on real threads with the speed changes in place (slot cache, the caller's
 * list, RealSched's mutex and condition variables), is a behaviour of the spec; and the same
 * trace with one step taken out is not, so the check has teeth.
 */
class TracedRunTest {
    private static final int MAX_EVENTS = Limits.ILLUMOS_DEFAULTS.portMaxEvents();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void tracedThroughputRunIsABehaviourOfTheSpecAndADoctoredOneIsNot() throws Exception {
        TracedRun.Outcome o = TracedRun.run(Profile.ILLUMOS, 2, 400);
        assertEquals(400, o.received(), "every event sent was received");
        List<TraceRecord> records = o.records();
        long sends = records.stream().filter(r -> r.action().equals("port_send_event")).count();
        long copies = records.stream().filter(r -> r.action().equals("port_copy_event")).count();
        assertEquals(400, sends);
        assertEquals(400, copies);

        List<Verdict> vs = TraceValidator.validateRun("traced-run", Profile.ILLUMOS, MAX_EVENTS, records);
        assertEquals(List.of(), vs.stream().filter(v -> !v.accepted()).map(Verdict::report).collect(Collectors.toList()));
        assertTrue(vs.size() == 1 && vs.get(0).records() == records.size(), () -> vs.toString());

        // a lost step: the 200th event's send is not in the trace, yet it is delivered later
        List<TraceRecord> doctored = new ArrayList<>(records);
        int nth = 0;
        for (int i = 0; i < doctored.size(); i++) {
            if (doctored.get(i).action().equals("port_send_event") && ++nth == 200) {
                doctored.remove(i);
                break;
            }
        }
        List<Verdict> bad = TraceValidator.validateRun("traced-run-doctored", Profile.ILLUMOS, MAX_EVENTS, doctored);
        assertFalse(bad.get(0).accepted(), "a trace without one port_send_event was accepted");
    }
}
