package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.Profile;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code trace validate --jobs N}: a batch split into N TLC runs gives each trace the verdict
 * one batch gives it — the genuine accepted, the doctored rejected at the same record — and the
 * split puts every trace in exactly one bin.
 */
class JobsTest {
    @Test
    void splitBatchesGiveTheVerdictsOfOneBatch() throws Exception {
        List<TraceRecord> genuine = DoctoredTraceTest.run();
        List<TraceRecord> changed = new ArrayList<>(genuine);
        int u = Doctoring.indexOf(genuine, Doctoring.action("port_unblock"));
        changed.set(u, Doctoring.with(genuine.get(u), "delivered", genuine.get(u).getInt("delivered") + 1));
        int max = Limits.ILLUMOS_DEFAULTS.portMaxEvents();
        List<Trace> traces = List.of(new Trace("g1", Profile.ILLUMOS, max, genuine), new Trace("bad", Profile.ILLUMOS, max, changed),
                new Trace("g2", Profile.ILLUMOS, max, genuine));
        List<Verdict> one = TraceValidator.validate(traces, false, 0);
        List<Verdict> split = TraceValidator.validate(traces, false, 3);
        assertTrue(one.get(0).accepted() && one.get(2).accepted(), one.toString());
        assertFalse(one.get(1).accepted(), one.get(1).report());
        for (int k = 0; k < traces.size(); k++) {
            assertEquals(one.get(k).accepted(), split.get(k).accepted(), split.get(k).report());
            assertEquals(one.get(k).firstRejected(), split.get(k).firstRejected(), split.get(k).report());
            assertEquals(traces.get(k).id(), split.get(k).id());
        }
    }

    @Test
    void balanceDealsEveryTraceOnceLongestFirst() {
        List<Trace> traces = new ArrayList<>();
        int[] lengths = {5, 1, 9, 3, 7};
        for (int k = 0; k < lengths.length; k++) {
            List<TraceRecord> rs = new ArrayList<>();
            for (int j = 0; j < lengths[k]; j++) {
                rs.add(new TraceRecord(j, "x", "t", 1, 1, java.util.Map.of()));
            }
            traces.add(new Trace("t" + k, Profile.ILLUMOS, 8, rs));
        }
        List<List<Integer>> bins = TraceValidator.balance(traces, List.of(0, 1, 2, 3, 4), 2);
        // 9 → bin 0, 7 → bin 1, 5 → bin 1 (12), 3 → bin 0 (12), 1 → bin 0 (the first of two equal)
        assertEquals(List.of(List.of(1, 2, 3), List.of(0, 4)), bins);
        assertEquals(3, TraceValidator.balance(traces, List.of(0, 1, 2), 8).size());
    }
}
