package eventports.tracevalidation;

import eventports.trace.TraceRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A long port trace cut at checkpoint records into segments that TLC checks on their own, in
 * parallel (README.md, "Segments"). A segment is the records from one cut to the next: its
 * first record is the checkpoint it starts from (TraceEventPort's CheckpointInit), its last the
 * next cut's checkpoint marked {@code cut}, where MatchCheckpoint requires the spec state the
 * segment reached to be the one the next segment starts from. The checkpoint states the port;
 * the loader adds what the core cannot see at that moment: {@code refs}, the descriptors
 * holding the port (port_create, fork, dup, sendfd, less each close begun), and the port's
 * {@code layer}.
 *
 * <p>A checkpoint is a cut only where the records say no thread is in a call on the port (each
 * thread's last record ends a call: ThreadSlots' rule), no dispatch sleeps for a slot, and the
 * segment before it has at least {@code minRecords} records. The records can be wrong about a
 * thread (one between two passes of port_getn looks finished): the cut's check then fails and
 * the port is validated whole ({@link #verdict}), so a wrong guess costs a run, never a verdict.
 */
final class Segments {
    /** Records a segment has at least; {@code -Deventports.tv.segment=N}. */
    static int minRecords() {
        return Integer.getInteger("eventports.tv.segment", 50_000);
    }

    /** Segment {@code k} of a port's trace: its records and where they start in the port's. */
    record Segment(Trace trace, int from) {
    }

    private Segments() {
    }

    /** The segments of {@code t}, or {@code t} alone (from 0) when it has no usable cut. */
    static List<Segment> split(Trace t, int minRecords) {
        List<TraceRecord> rs = t.records();
        List<Integer> cuts = new ArrayList<>();
        Map<String, TraceRecord> cutRecords = new LinkedHashMap<>();
        Set<List<Integer>> refs = new LinkedHashSet<>();
        Set<String> inCall = new HashSet<>();
        Set<Object> sleepingForSlot = new HashSet<>();
        Object layer = null;
        int last = 0;
        for (int j = 0; j < rs.size(); j++) {
            TraceRecord r = rs.get(j);
            switch (r.action()) {
                case "port_create":
                    refs.add(List.of(r.pid(), r.getInt("fd")));
                    layer = r.get("layer");
                    break;
                case "fork":
                    refs.add(List.of(r.getInt("child"), r.getInt("fd")));
                    break;
                case "dup":
                    refs.add(List.of(r.pid(), r.getInt("newfd")));
                    break;
                case "sendfd":
                    refs.add(List.of(r.getInt("to"), r.getInt("newfd")));
                    break;
                case "port_close":
                    if (r.get("count") != null && r.get("fd") instanceof Number) {   // the close begins
                        refs.remove(List.of(r.pid(), r.getInt("fd")));
                    }
                    break;
                case "port_alloc_event_block":
                    if (Boolean.TRUE.equals(r.get("sleep"))) {
                        sleepingForSlot.add(r.get("kev"));
                    } else {
                        sleepingForSlot.remove(r.get("kev"));
                    }
                    break;
                default:
                    break;
            }
            if (r.action().equals("checkpoint")) {
                if (inCall.isEmpty() && sleepingForSlot.isEmpty() && j - last >= minRecords
                        && rs.size() - j >= minRecords / 2) {
                    List<Object> rf = new ArrayList<>(refs);
                    Map<String, Object> f = new LinkedHashMap<>(r.fields());
                    f.put("refs", rf);
                    f.put("layer", layer);
                    cutRecords.put(Integer.toString(j), new TraceRecord(r.seq(), r.action(), r.thread(), r.pid(),
                            r.port(), f));
                    cuts.add(j);
                    last = j;
                }
                continue;
            }
            if (inCallAfter(r)) {
                inCall.add(r.thread());
            } else if (r.action().equals("recycle_thread") || isCallRecord(r)) {
                inCall.remove(r.thread());
            }
        }
        List<Segment> out = new ArrayList<>();
        if (cuts.isEmpty()) {
            out.add(new Segment(t, 0));
            return out;
        }
        int from = 0;
        for (int c = 0; c <= cuts.size(); c++) {
            int to = c < cuts.size() ? cuts.get(c) : rs.size() - 1;
            List<TraceRecord> seg = new ArrayList<>(to - from + 1);
            if (from > 0) {
                seg.add(cutRecords.get(Integer.toString(from)));
            }
            seg.addAll(rs.subList(from > 0 ? from + 1 : 0, c < cuts.size() ? to : to + 1));
            if (c < cuts.size()) {
                Map<String, Object> f = new LinkedHashMap<>(cutRecords.get(Integer.toString(to)).fields());
                f.put("cut", true);
                TraceRecord cr = rs.get(to);
                seg.add(new TraceRecord(cr.seq(), cr.action(), cr.thread(), cr.pid(), cr.port(), f));
            }
            out.add(new Segment(new Trace(t.id() + "#" + (c + 1), t.profile(), t.maxEvents(), seg), from));
            from = to;
        }
        return out;
    }

    /**
     * Whether the thread's call goes on after its record {@code r}, where a checkpoint can be
     * (the core writes one only with portq_thrcnt 0 and PORTQ_BLOCKED and PORTQ_CLOSE clear, so a
     * port_getn past its entry or a last close is never in progress there): ThreadSlots' rule,
     * but a per-process close's port_discard_events that found the block free, and a count
     * query's or a per-process close's port_block that took it, end the call (EventPort's
     * port_discard_events and port_block), and a per-process close's port_close does not.
     */
    static boolean inCallAfter(TraceRecord r) {
        switch (r.action()) {
            case "port_discard_events":
                return Boolean.TRUE.equals(r.get("blocked"));
            case "port_block":
                return !Boolean.TRUE.equals(r.get("taken"));
            case "port_close":
                return r.get("lastclose") instanceof Number && ((Number) r.get("lastclose")).intValue() == 0;
            default:
                return ThreadSlots.leavesInCall(r);
        }
    }

    /** A thread's own record that is not a port's or a process's (those say nothing of its calls). */
    private static boolean isCallRecord(TraceRecord r) {
        return !Set.of("fork", "dup", "sendfd", "port_inactive", "checkpoint").contains(r.action());
    }

    /**
     * The port's verdict from its segments' (in order): accepted if all are; else the first
     * rejected segment's, with the record numbered in the port's trace — unless it was rejected at
     * its cut, where the loader may have misjudged a thread: then null (validate the port whole).
     */
    static Verdict verdict(Trace whole, List<Segment> segs, List<Verdict> vs) {
        for (int s = 0; s < segs.size(); s++) {
            Verdict v = vs.get(s);
            if (v.accepted()) {
                continue;
            }
            Segment seg = segs.get(s);
            boolean atCut = s < segs.size() - 1 && v.firstRejected() == seg.trace().records().size();
            if (atCut) {
                return null;
            }
            // a segment's record n (1-based) is the port's record from + n (a segment after the first
            // starts with the checkpoint at from: its initial state)
            int at = Math.max(v.firstRejected(), 1) + seg.from();
            String rec = at >= 1 && at <= whole.records().size()
                    ? eventports.trace.Ndjson.line(whole.records().get(at - 1)) : v.rejectedRecord();
            return new Verdict(whole.id(), false, whole.records().size(), at, rec, v.statesBefore(), v.enabledActions());
        }
        return new Verdict(whole.id(), true, whole.records().size(), 0, null, List.of(), List.of());
    }
}
