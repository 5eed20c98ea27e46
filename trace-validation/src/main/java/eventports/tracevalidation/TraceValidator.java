package eventports.tracevalidation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Profile;
import eventports.trace.Ndjson;
import eventports.trace.TraceRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Asks TLC whether traces of the Java core are behaviours of EventPort.
 *
 * <p>Traces are checked in batches: all traces that share a profile, a slot limit and a layer
 * (the spec's constants) go to one TLC run, which explores TraceEventPort's constrained next-state
 * relation; a trace is accepted iff some behaviour reaches its last record. Each run has a JVM
 * of its own ({@link TlcChild}), or a warm server's class loader ({@link WarmTlc}, with
 * {@code -Deventports.tv.warm=true} or {@link #validate(List, boolean)}), two at a time on this
 * 2-core machine. For the rejected traces
 * one more run evaluates which spec actions the stuck states enable.
 */
public final class TraceValidator {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Concurrent TLC JVMs. */
    static int parallel = Integer.getInteger("eventports.tv.parallel", 2);

    private TraceValidator() {
    }

    /** Validate every trace; verdicts in the order given. */
    public static List<Verdict> validate(List<Trace> traces) {
        return validate(traces, Boolean.getBoolean("eventports.tv.warm"), 0);
    }

    /**
     * Validate every trace, each TLC run in a child JVM of its own (cold) or on a warm server
     * ({@link WarmTlc}); the verdicts are the same.
     */
    public static List<Verdict> validate(List<Trace> traces, boolean warm) {
        return validate(traces, warm, 0);
    }

    /**
     * Validate every trace with {@code jobs} TLC runs at a time, each batch of same-constant
     * traces split into up to {@code jobs} batches of about as many records (the traces of one
     * run are independent: each port's, and each segment's, is checked from its own initial
     * state); {@code jobs} 0: one batch per group, {@link #parallel} at a time. Cold or warm as
     * above. Verdicts in the order given.
     */
    public static List<Verdict> validate(List<Trace> traces, boolean warm, int jobs) {
        return validate(traces, warm, jobs, Segments.minRecords());
    }

    /**
     * As {@link #validate(List, boolean, int)}, each trace with checkpoint records cut into
     * segments of at least {@code segment} records (Segments; 0: never cut), all segments of
     * all traces dealt into the {@code jobs} runs. A port whose segments were rejected at a cut
     * is validated again whole, and that verdict is its own.
     */
    static List<Verdict> validate(List<Trace> traces, boolean warm, int jobs, int segment) {
        List<List<Segments.Segment>> segs = new ArrayList<>();
        for (Trace t : traces) {
            segs.add(Segments.of(t, segment));
        }
        return validate(traces, segs, warm, jobs, segment);
    }

    /**
     * As above, each trace's segments given ({@code segs}: the trace alone is validated as it
     * is). RunSplit gives the segments it cut on disk as traces of their own, alone, so they are
     * not cut again, and forms their port's verdict itself.
     */
    static List<Verdict> validate(List<Trace> traces, List<List<Segments.Segment>> segs, boolean warm, int jobs,
                                  int segment) {
        List<Trace> pieces = new ArrayList<>();
        segs.forEach(s -> s.forEach(x -> pieces.add(x.trace())));
        if (pieces.size() == traces.size()) {
            return validatePieces(traces, warm, jobs);
        }
        System.err.println("trace validate: " + traces.size() + " trace(s) in " + pieces.size()
                + " segments (checkpoints, at least " + segment + " records each)");
        List<Verdict> vs = validatePieces(pieces, warm, jobs);
        Verdict[] out = new Verdict[traces.size()];
        List<Integer> again = new ArrayList<>();
        int p = 0;
        for (int n = 0; n < traces.size(); n++) {
            int k = segs.get(n).size();
            out[n] = k == 1 ? vs.get(p) : Segments.verdict(traces.get(n), segs.get(n), vs.subList(p, p + k));
            if (out[n] == null) {
                again.add(n);
            }
            p += k;
        }
        if (!again.isEmpty()) {
            List<Trace> whole = new ArrayList<>();
            again.forEach(n -> whole.add(traces.get(n)));
            System.err.println("trace validate: rejected at a cut, validated whole: "
                    + whole.stream().map(Trace::id).toList());
            List<Verdict> w = validatePieces(whole, warm, jobs);
            for (int j = 0; j < again.size(); j++) {
                out[again.get(j)] = w.get(j);
            }
        }
        return List.of(out);
    }

    private static List<Verdict> validatePieces(List<Trace> traces, boolean warm, int jobs) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int n = 0; n < traces.size(); n++) {
            Trace t = traces.get(n);
            groups.computeIfAbsent(t.profile().id() + "/" + t.maxEvents() + "/" + t.fdLayer(), g -> new ArrayList<>())
                    .add(n);
        }
        if (jobs > 1) {
            Map<String, List<Integer>> split = new LinkedHashMap<>();
            groups.forEach((g, idx) -> {
                List<List<Integer>> bins = balance(traces, idx, jobs);
                for (int b = 0; b < bins.size(); b++) {
                    split.put(g + "#" + b, bins.get(b));
                }
            });
            groups = split;
        }
        Verdict[] out = new Verdict[traces.size()];
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs > 0 ? jobs : parallel));
        try {
            List<Future<List<Verdict>>> fs = new ArrayList<>();
            List<List<Integer>> order = new ArrayList<>();
            for (List<Integer> idx : groups.values()) {
                List<Trace> group = new ArrayList<>();
                for (int n : idx) {
                    group.add(traces.get(n));
                }
                fs.add(pool.submit(() -> validateGroup(group, warm)));
                order.add(idx);
            }
            for (int g = 0; g < fs.size(); g++) {
                List<Verdict> vs = fs.get(g).get();
                for (int j = 0; j < order.get(g).size(); j++) {
                    out[order.get(g).get(j)] = vs.get(j);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("trace validation could not run: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        return List.of(out);
    }

    /** The traces {@code idx} in up to {@code bins} bins of about equal records: longest first, into the lightest bin. */
    static List<List<Integer>> balance(List<Trace> traces, List<Integer> idx, int bins) {
        List<Integer> byLength = new ArrayList<>(idx);
        byLength.sort((a, b) -> Integer.compare(traces.get(b).records().size(), traces.get(a).records().size()));
        List<List<Integer>> out = new ArrayList<>();
        long[] load = new long[Math.min(bins, idx.size())];
        for (int b = 0; b < load.length; b++) {
            out.add(new ArrayList<>());
        }
        for (int n : byLength) {
            int light = 0;
            for (int b = 1; b < load.length; b++) {
                if (load[b] < load[light]) {
                    light = b;
                }
            }
            out.get(light).add(n);
            load[light] += traces.get(n).records().size();
        }
        out.forEach(l -> l.sort(Integer::compare));
        return out;
    }

    /**
     * Records a long run's file is probed with before the whole of it is read ({@link #probe});
     * {@code -Deventports.tv.probe=N} sets it, within what this JVM holds loaded (RunScan#budget).
     */
    public static long probeRecords() {
        return Math.min(Long.getLong("eventports.tv.probe", 20_000), RunScan.budget());
    }

    /**
     * The rejections among the first {@link #probeRecords()} records of a run's file of
     * {@code records} records, if it has more: a prefix a behaviour cannot follow is a trace no
     * behaviour can follow, and it is found without reading, holding or searching the rest. An
     * empty list when the file is short or its prefix is accepted: then the whole file must be
     * validated.
     */
    public static List<Verdict> probe(java.nio.file.Path file, Profile profile, int maxEvents, long records,
                                      boolean warm, int jobs) throws IOException {
        long probe = probeRecords();
        if (records <= probe) {
            return List.of();
        }
        List<Trace> head = Trace.perPort(file.toString(), profile, maxEvents, TraceIo.readRun(file, probe));
        List<Verdict> out = new ArrayList<>();
        for (Verdict v : validate(head, warm, jobs)) {
            if (!v.accepted()) {
                out.add(v);
            }
        }
        return out;
    }

    /** Validate the per-port projections of one run's records. */
    public static List<Verdict> validateRun(String runId, Profile profile, int maxEvents, List<TraceRecord> records) {
        return validate(Trace.perPort(runId, profile, maxEvents, records));
    }

    private static List<Verdict> validateGroup(List<Trace> group, boolean warm) throws IOException, InterruptedException {
        return validateGroup(group, warm, true);
    }

    /**
     * One batch; with {@code threadSlots}, the traces rejected where a thread took over a finished
     * thread's spec thread (ThreadSlots guessed a call was over that was not) are validated again
     * with a spec thread per thread, and that run's verdict is theirs.
     */
    private static List<Verdict> validateGroup(List<Trace> group, boolean warm, boolean threadSlots)
            throws IOException, InterruptedException {
        JsonNode res = runChild(group, null, warm, threadSlots);
        List<Trace> rejected = new ArrayList<>();
        List<Integer> rejectedAt = new ArrayList<>();
        List<Trace> handed = new ArrayList<>();
        for (int k = 0; k < group.size(); k++) {
            if (threadSlots && res.get(k).path("handOver").asBoolean()) {
                handed.add(group.get(k));
            } else if (!res.get(k).get("accepted").asBoolean()) {
                rejected.add(group.get(k));
                rejectedAt.add(res.get(k).get("reached").asInt());
            }
        }
        java.util.Iterator<Verdict> again = handed.isEmpty() ? null
                : validateGroup(handed, warm, false).iterator();
        JsonNode rep = rejected.isEmpty() ? null : runChild(rejected, rejectedAt, warm, threadSlots);
        List<Verdict> vs = new ArrayList<>();
        int r = 0;
        for (int k = 0; k < group.size(); k++) {
            Trace t = group.get(k);
            int len = t.records().size();
            if (threadSlots && res.get(k).path("handOver").asBoolean()) {
                vs.add(again.next());
                continue;
            }
            if (res.get(k).get("accepted").asBoolean()) {
                vs.add(new Verdict(t.id(), true, len, 0, null, List.of(), List.of()));
                continue;
            }
            int got = res.get(k).get("next").asInt();
            List<String> states = new ArrayList<>();
            res.get(k).get("states").forEach(s -> states.add(s.asText()));
            List<String> enabled = new ArrayList<>();
            rep.get(r++).get("enabled").forEach(s -> enabled.add(s.asText()));
            String rec = got >= 0 ? Ndjson.line(t.records().get(got)) : "(the trace's initial state)";
            vs.add(new Verdict(t.id(), false, len, got + 1, rec, states, enabled));
        }
        return vs;
    }

    /** A TLC run's batch.json: what the child needs besides the traces ("records" picks its JIT). */
    static ObjectNode batchSpec(List<Trace> traces, List<Integer> reportAt, boolean threadSlots) {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("threadSlots", threadSlots);
        spec.put("profile", traces.get(0).profile().id());
        spec.put("maxEvents", traces.get(0).maxEvents());
        spec.put("traces", traces.size());
        spec.put("records", traces.stream().mapToLong(t -> t.records().size()).sum());
        if (reportAt != null) {
            ArrayNode a = spec.putArray("report");
            reportAt.forEach(a::add);
        }
        return spec;
    }

    /** One TLC run, cold or warm; {@code reportAt} asks for enabled actions at those indexes. */
    private static JsonNode runChild(List<Trace> traces, List<Integer> reportAt, boolean warm, boolean threadSlots)
            throws IOException, InterruptedException {
        TlcChild.Prepare prepare = dir -> {
            JSON.writeValue(dir.resolve("batch.json").toFile(), batchSpec(traces, reportAt, threadSlots));
            for (int k = 0; k < traces.size(); k++) {
                TraceIo.write(dir.resolve("trace-" + (k + 1) + ".ndjson"), traces.get(k).records());
            }
        };
        return warm ? WarmTlc.run(prepare) : TlcChild.spawn(prepare);
    }
}
