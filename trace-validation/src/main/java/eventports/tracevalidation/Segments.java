package eventports.tracevalidation;

import eventports.trace.TraceRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

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
        Span span() {
            return new Span(from, trace.records().size());
        }
    }

    /**
     * Where a segment is in its port's trace: the index of its first record there (the cut it
     * starts from) and its length. All {@link #verdict} needs of it: RunSplit's segments are on
     * disk, not loaded.
     */
    record Span(int from, int records) {
    }

    private Segments() {
    }

    /** The segments of {@code t} with at least {@code segment} records each, or {@code t} alone when {@code segment} is 0 (off). */
    static List<Segment> of(Trace t, int segment) {
        return segment > 0 ? split(t, segment) : List.of(new Segment(t, 0));
    }

    /** Where {@link Cutter#take} puts the segments' records: into lists (split), or files (RunSplit). */
    interface Into<E extends Exception> {
        /** The current segment's next record. */
        void record(TraceRecord r) throws E;

        /** The current segment is over; the next one begins. */
        void next() throws E;
    }

    /**
     * The cut rule, a record at a time: what the records before a checkpoint say of it (refs,
     * the threads in a call, the dispatches asleep for a slot, the layer), whether it is a cut,
     * and the segments' records and spans. {@link #split} runs it over a loaded trace, RunSplit
     * over a port's file on disk, so both make the same segments. Its state grows with the
     * port's threads, descriptors and sleepers and with its cuts, not with its records.
     */
    static final class Cutter {
        private final int minRecords;
        /** The port's length: the last segment has at least half {@code minRecords} records. */
        private final long records;
        private final Set<List<Integer>> refs = new LinkedHashSet<>();
        /**
         * By thread and pid: Trace.onePidPerThread makes a thread one spec thread per pid, so these
         * are the same sets before its renaming (RunSplit, which knows it only at the end of the
         * port's file) and after it (a loaded trace). Records a thread writes for its process
         * (fork, dup, sendfd, port_inactive, checkpoint) change none.
         */
        private final Set<List<Object>> inCall = new HashSet<>();
        private final Set<Object> sleepingForSlot = new HashSet<>();
        private Object layer;
        private long last;
        /** The index of the next record in the port's trace. */
        private long j;
        /** The segments before the current one, and the index of the current one's first record. */
        private final List<Span> spans = new ArrayList<>();
        private long from;

        Cutter(int minRecords, long records) {
            this.minRecords = minRecords;
            this.records = records;
        }

        /** Take the port's next record: if it is a cut, the checkpoint with the loader's refs and layer, else null. */
        private TraceRecord next(TraceRecord r) {
            long at = j++;
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
                if (inCall.isEmpty() && sleepingForSlot.isEmpty() && at - last >= minRecords
                        && records - at >= minRecords / 2) {
                    last = at;
                    Map<String, Object> f = new LinkedHashMap<>(r.fields());
                    f.put("refs", new ArrayList<Object>(refs));
                    f.put("layer", layer);
                    return new TraceRecord(r.seq(), r.action(), r.thread(), r.pid(), r.port(), f);
                }
                return null;
            }
            List<Object> thread = List.of(r.thread(), r.pid());
            if (inCallAfter(r)) {
                inCall.add(thread);
            } else if (r.action().equals("recycle_thread") || isCallRecord(r)) {
                inCall.remove(thread);
            }
            return null;
        }

        /**
         * Take the port's next record into the segments: at a cut, the checkpoint marked
         * {@code cut} ends the segment (MatchCheckpoint's join) and, with the loader's refs and
         * layer, starts the next (CheckpointInit).
         */
        <E extends Exception> void take(TraceRecord r, Into<E> into) throws E {
            TraceRecord c = next(r);
            if (c == null) {
                into.record(r);
                return;
            }
            Map<String, Object> f = new LinkedHashMap<>(c.fields());
            f.put("cut", true);
            into.record(new TraceRecord(c.seq(), c.action(), c.thread(), c.pid(), c.port(), f));
            spans.add(new Span(Math.toIntExact(from), Math.toIntExact(j - from)));
            from = j - 1;
            into.next();
            into.record(c);
        }

        /** The segments' spans, once every record is taken. */
        List<Span> spans() {
            List<Span> out = new ArrayList<>(spans);
            out.add(new Span(Math.toIntExact(from), Math.toIntExact(j - from)));
            return out;
        }
    }

    /** The segments of {@code t}, or {@code t} alone (from 0) when it has no usable cut. */
    static List<Segment> split(Trace t, int minRecords) {
        Cutter cutter = new Cutter(minRecords, t.records().size());
        List<List<TraceRecord>> segs = new ArrayList<>(List.of(new ArrayList<>()));
        Into<RuntimeException> lists = new Into<>() {
            @Override
            public void record(TraceRecord r) {
                segs.get(segs.size() - 1).add(r);
            }

            @Override
            public void next() {
                segs.add(new ArrayList<>());
            }
        };
        for (TraceRecord r : t.records()) {
            cutter.take(r, lists);
        }
        if (segs.size() == 1) {
            return List.of(new Segment(t, 0));
        }
        List<Span> spans = cutter.spans();
        List<Segment> out = new ArrayList<>();
        for (int k = 0; k < segs.size(); k++) {
            out.add(new Segment(new Trace(t.id() + "#" + (k + 1), t.profile(), t.maxEvents(), segs.get(k)),
                    spans.get(k).from()));
        }
        return out;
    }

    /**
     * Whether the thread's call goes on after its record {@code r}, where a checkpoint can be
     * (the core writes one only with portq_thrcnt 0 and PORTQ_BLOCKED and PORTQ_CLOSE clear, so a
     * port_getn past its entry or a last close is never in progress there, though a port_getn
     * between two passes may be: ThreadSlots counts a pass that delivered nothing as going on),
     * ThreadSlots' rule, but any port_block that took the block counts as the end (a retriever's
     * holds the block, so its next records, which do leave it in the call, come before any
     * checkpoint), and a per-process close's port_close does not.
     */
    static boolean inCallAfter(TraceRecord r) {
        switch (r.action()) {
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
        return verdict(whole.id(), whole.records().size(), segs.stream().map(Segment::span).toList(), vs,
                at -> eventports.trace.Ndjson.line(whole.records().get(at - 1)));
    }

    /**
     * As above, of a port known by its id, its length, its segments' spans and {@code line}: its
     * record {@code at} (from 1) as text. {@code vs} may stop after the first rejected segment's
     * (RunSplit validates no segment of a port after that one).
     */
    static Verdict verdict(String id, int records, List<Span> spans, List<Verdict> vs, IntFunction<String> line) {
        if (rejectedAtCut(spans, vs) > 0) {
            return null;
        }
        for (int s = 0; s < vs.size(); s++) {
            Verdict v = vs.get(s);
            if (v.accepted()) {
                continue;
            }
            // a segment's record n (1-based) is the port's record from + n (a segment after the first
            // starts with the checkpoint at from: its initial state)
            int at = Math.max(v.firstRejected(), 1) + spans.get(s).from();
            String rec = at >= 1 && at <= records ? line.apply(at) : v.rejectedRecord();
            return new Verdict(id, false, records, at, rec, v.statesBefore(), v.enabledActions());
        }
        if (vs.size() < spans.size()) {
            throw new IllegalArgumentException(id + ": " + vs.size() + " verdicts for " + spans.size() + " segments");
        }
        return new Verdict(id, true, records, 0, null, List.of(), List.of());
    }

    /**
     * The port's record (from 1) of the cut at which its first rejected segment was rejected, or
     * 0 if it was rejected elsewhere or none was: its last record, the next segment's first.
     */
    static int rejectedAtCut(List<Span> spans, List<Verdict> vs) {
        for (int s = 0; s < vs.size(); s++) {
            Verdict v = vs.get(s);
            if (!v.accepted()) {
                Span span = spans.get(s);
                return s < spans.size() - 1 && v.firstRejected() == span.records() ? span.from() + span.records() : 0;
            }
        }
        return 0;
    }
}
