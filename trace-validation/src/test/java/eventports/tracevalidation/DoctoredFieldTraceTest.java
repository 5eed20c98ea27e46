package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.Ports;
import eventports.kernel.Profile;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * An alerted waiter's port_dequeue_thread states the alert it returns (its snapshot), and
     * only an alerted one does: the record without it, or a non-alerted waiter's with one, is
     * rejected there. (The field was optional: a core that left it out, or wrote it for every
     * waiter, passed; issue 19, PortGetn:523.)
     */
    @Test
    void theAlertFieldGoesWithAnAlertedDequeueOnly() throws Exception {
        List<TraceRecord> genuine = Doctoring.run(Limits.ILLUMOS_DEFAULTS, (sched, p) -> {
            int fd = (int) sched.call("T0", p::portCreate, null).value();
            sched.call("T1", () -> p.portGetn(fd, 1, 1, null), null);
            sched.call("T0", () -> {
                p.portAlert(fd, Ports.PORT_ALERT_SET, 5, "a");
                return 0;
            }, null);
            sched.await("T1");
            sched.call("T0", () -> {
                p.portAlert(fd, Ports.PORT_ALERT_SET, 0, null);       // events 0: clears it
                p.portSend(fd, 1, "u");
                return 0;
            }, null);
            sched.call("T2", () -> p.portGetn(fd, 2, 2, null), null);   // waits: one event of two
            sched.call("T0", () -> {
                p.portSend(fd, 1, "v");
                return 0;
            }, null);
            sched.await("T2");
        });
        int alerted = Doctoring.indexOf(genuine, r -> r.action().equals("port_dequeue_thread") && "ALERT".equals(r.get("err")));
        int plain = Doctoring.indexOf(genuine, r -> r.action().equals("port_dequeue_thread") && "OK".equals(r.get("err")));
        assertEquals(5, ((Number) genuine.get(alerted).get("alert")).intValue(), genuine.get(alerted).toString());
        List<TraceRecord> without = new ArrayList<>(genuine);
        Map<String, Object> f = new LinkedHashMap<>(genuine.get(alerted).fields());
        f.remove("alert");
        TraceRecord a = genuine.get(alerted);
        without.set(alerted, new TraceRecord(a.seq(), a.action(), a.thread(), a.pid(), a.port(), f));
        List<TraceRecord> extra = new ArrayList<>(genuine);
        extra.set(plain, Doctoring.with(genuine.get(plain), "alert", 0));
        List<Verdict> vs = Doctoring.validate(List.of("genuine", "without", "extra"), List.of(genuine, without, extra));
        assertTrue(vs.get(0).accepted(), vs.get(0).report());
        assertEquals(alerted + 1, vs.get(1).firstRejected(), vs.get(1).report());
        assertEquals(plain + 1, vs.get(2).firstRejected(), vs.get(2).report());
    }
}
