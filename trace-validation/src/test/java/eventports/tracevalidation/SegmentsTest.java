package eventports.tracevalidation;

import eventports.kernel.CoreFault;
import eventports.kernel.Layer;
import eventports.kernel.Profile;
import eventports.stress.StressRun;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints and segments (README.md, "Segments"): a real-thread stress run written with
 * checkpoint records is accepted both whole and cut into segments, a run of a faulty core is
 * rejected both ways at the same record, and a doctored checkpoint — a wrong count, a queued
 * event left out, a NOSHARE event's owner changed — is rejected at that checkpoint.
 */
class SegmentsTest {
    /** Records per segment: small, so that a short run has several. */
    private static final int SEGMENT = 400;

    /**
     * Records of a stress run kept: its first ones, every port cut at the same moment (a prefix of
     * a behaviour is one), so that TLC's work does not grow with the machine's speed.
     */
    private static final int PREFIX = 12_000;

    /**
     * The first {@link #PREFIX} records of a 200 ms corrected stress run, a checkpoint due every
     * 150 records of a port, split by port.
     */
    private static List<Trace> run(long seed, CoreFault fault) throws Exception {
        MemorySink sink = new MemorySink();
        System.setProperty("eventports.trace.checkpoint", "150");
        StressRun r;
        try {
            r = new StressRun(Profile.CORRECTED, Layer.DESCRIPTORS, seed, 200, sink);
        } finally {
            System.clearProperty("eventports.trace.checkpoint");
        }
        if (fault != null) {
            r.inject(fault);
        }
        r.run();
        List<TraceRecord> rs = sink.records();
        System.err.println("SegmentsTest: a run of " + rs.size() + " records, the first " + PREFIX + " kept");
        return Trace.perPort("stress" + seed, Profile.CORRECTED, StressRun.MAX_EVENTS,
                rs.subList(0, Math.min(PREFIX, rs.size())));
    }

    @Test
    void aGenuineRunIsAcceptedWholeAndInSegments() throws Exception {
        List<Trace> traces = run(20261207L, null);
        // the ports cut into segments: each segment on its own (without the fallback to a whole
        // run), all in one batch, then the same ports whole (the others are whole anyway)
        List<Trace> cut = new ArrayList<>();
        List<List<Segments.Segment>> segsOf = new ArrayList<>();
        List<Trace> pieces = new ArrayList<>();
        for (Trace t : traces) {
            List<Segments.Segment> segs = Segments.split(t, SEGMENT);
            if (segs.size() > 1) {
                cut.add(t);
                segsOf.add(segs);
                segs.forEach(g -> pieces.add(g.trace()));
            }
        }
        assertFalse(cut.isEmpty(), "no port of the run was cut into segments");
        List<Verdict> vs = TraceValidator.validate(pieces, false, 2, 0);
        vs.forEach(v -> assertTrue(v.accepted(), v::report));
        int k = 0;
        for (int n = 0; n < cut.size(); n++) {
            int m = segsOf.get(n).size();
            assertTrue(Segments.verdict(cut.get(n), segsOf.get(n), vs.subList(k, k + m)).accepted());
            k += m;
        }
        for (Verdict v : TraceValidator.validate(cut, false, 2, 0)) {
            assertTrue(v.accepted(), v::report);
        }
    }

    @Test
    void aFaultyCoreIsRejectedWholeAndInSegmentsAtTheSameRecord() throws Exception {
        List<Trace> traces = run(20261208L, CoreFault.WAIT_EVENTS_KEPT);
        assertTrue(traces.stream().anyMatch(t -> Segments.split(t, SEGMENT).size() > 1), "no port was cut");
        List<Verdict> whole = TraceValidator.validate(traces, false, 2, 0);
        List<Verdict> cut = TraceValidator.validate(traces, false, 2, SEGMENT);
        assertTrue(whole.stream().anyMatch(v -> !v.accepted()), "the faulty core's run was accepted");
        for (int n = 0; n < traces.size(); n++) {
            assertEquals(whole.get(n).accepted(), cut.get(n).accepted(), cut.get(n).report());
            assertEquals(whole.get(n).firstRejected(), cut.get(n).firstRejected(), cut.get(n).report());
        }
    }

    @Test
    void aDoctoredCheckpointIsRejectedThere() throws Exception {
        List<Trace> traces = run(20261209L, null);
        // a checkpoint with a NOSHARE event queued, on a port that is cut into segments
        Trace port = null;
        int at = -1;
        int ev = -1;
        for (Trace t : traces) {
            if (Segments.split(t, SEGMENT).size() < 2) {
                continue;
            }
            for (int j = 0; j < t.records().size() && at < 0; j++) {
                TraceRecord r = t.records().get(j);
                if (r.action().equals("checkpoint")) {
                    List<?> ns = (List<?>) r.get("noshares");
                    ev = ns.indexOf(Boolean.TRUE);
                    if (ev >= 0) {
                        at = j;
                        port = t;
                    }
                }
            }
            if (at >= 0) {
                break;
            }
        }
        assertNotNull(port, "no checkpoint with a NOSHARE event queued on a port cut into segments");
        TraceRecord cp = port.records().get(at);
        int e = ev;
        List<Trace> doctored = List.of(
                doctor(port, at, "count", f -> f.put("curr", ((Number) f.get("curr")).intValue() + 1)),
                doctor(port, at, "missing", f -> {
                    for (String k : List.of("queue", "owners", "noshares", "frees")) {
                        List<Object> l = new ArrayList<>((List<?>) f.get(k));
                        l.remove(e);
                        f.put(k, l);
                    }
                    f.put("nent", ((Number) f.get("nent")).intValue() - 1);
                    f.put("curr", ((Number) f.get("curr")).intValue() - 1);
                }),
                doctor(port, at, "owner", f -> {
                    List<Object> l = new ArrayList<>((List<?>) f.get("owners"));
                    l.set(e, ((Number) l.get(e)).intValue() + 1);
                    f.put("owners", l);
                }));
        List<Verdict> vs = TraceValidator.validate(doctored, false, 2, SEGMENT);
        for (Verdict v : vs) {
            assertFalse(v.accepted(), v.id() + " accepted");
            assertEquals(at + 1, v.firstRejected(), v.report());
            assertTrue(v.rejectedRecord().contains("\"seq\":" + cp.seq() + ",\"action\":\"checkpoint\""), v.report());
        }
    }

    private static Trace doctor(Trace t, int at, String what, java.util.function.Consumer<Map<String, Object>> edit) {
        List<TraceRecord> rs = new ArrayList<>(t.records());
        TraceRecord r = rs.get(at);
        Map<String, Object> f = new LinkedHashMap<>(r.fields());
        edit.accept(f);
        rs.set(at, new TraceRecord(r.seq(), r.action(), r.thread(), r.pid(), r.port(), f));
        return new Trace(t.id() + "-" + what, t.profile(), t.maxEvents(), rs);
    }
}
