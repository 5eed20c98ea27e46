package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.Profile;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counts a record reports of the core's state are compared with the spec's, not only the
 * decisions: a record whose count is off by one is rejected at that record, even where the count
 * decides nothing in the run. (They were once read and ignored: a doctored portq_nent, port_curr,
 * portq_getn, temp-list count, nmax or waiter count was accepted.)
 */
class DoctoredFieldTraceTest {
    /** action.field pairs whose value is the core's state at the step (TraceEventPort's Reports*). */
    private static final List<String> STATE_FIELDS = List.of(
            "port_alloc_event_local.curr", "port_send_event.nent", "port_copy_event.curr",
            "portnowait.tnent", "portnowait.nmax", "portnowait.getn", "port_queue_thread.nget");

    @Test
    void aWrongCountIsRejectedAtItsRecord() throws Exception {
        List<TraceRecord> genuine = SpeedTable.trace(60);
        int max = Limits.ILLUMOS_DEFAULTS.portMaxEvents();
        List<Trace> traces = new ArrayList<>(List.of(new Trace("genuine", Profile.ILLUMOS, max, genuine)));
        List<Integer> at = new ArrayList<>();
        for (String af : STATE_FIELDS) {
            String action = af.substring(0, af.indexOf('.'));
            String field = af.substring(af.indexOf('.') + 1);
            int n = Doctoring.indexOf(genuine, r -> r.action().equals(action) && r.get(field) instanceof Number);
            List<TraceRecord> doctored = new ArrayList<>(genuine);
            TraceRecord r = genuine.get(n);
            doctored.set(n, Doctoring.with(r, field, ((Number) r.get(field)).longValue() + 1));
            traces.add(new Trace(af, Profile.ILLUMOS, max, doctored));
            at.add(n);
        }
        List<Verdict> vs = TraceValidator.validate(traces);
        assertTrue(vs.get(0).accepted(), vs.get(0).report());
        for (int k = 0; k < STATE_FIELDS.size(); k++) {
            Verdict v = vs.get(k + 1);
            assertEquals(at.get(k) + 1, v.firstRejected(), STATE_FIELDS.get(k) + ": " + v.report());
        }
    }
}
