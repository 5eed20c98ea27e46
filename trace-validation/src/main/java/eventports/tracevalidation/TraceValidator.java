package eventports.tracevalidation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Profile;
import eventports.trace.Ndjson;
import eventports.trace.TraceRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Asks TLC whether traces of the Java core are behaviours of EventPort.
 *
 * <p>Traces are checked in batches: all traces that share a profile, a slot limit and a layer
 * (the spec's constants) go to one TLC run, which explores TraceEventPort's constrained next-state
 * relation; a trace is accepted iff some behaviour reaches its last record. Each run has a JVM
 * of its own ({@link TlcChild}), two at a time on this 2-core machine. For the rejected traces
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
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int n = 0; n < traces.size(); n++) {
            Trace t = traces.get(n);
            groups.computeIfAbsent(t.profile().id() + "/" + t.maxEvents() + "/" + t.fdLayer(), g -> new ArrayList<>())
                    .add(n);
        }
        Verdict[] out = new Verdict[traces.size()];
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        try {
            List<Future<List<Verdict>>> fs = new ArrayList<>();
            List<List<Integer>> order = new ArrayList<>();
            for (List<Integer> idx : groups.values()) {
                List<Trace> group = new ArrayList<>();
                for (int n : idx) {
                    group.add(traces.get(n));
                }
                fs.add(pool.submit(() -> validateGroup(group)));
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

    /** Validate the per-port projections of one run's records. */
    public static List<Verdict> validateRun(String runId, Profile profile, int maxEvents, List<TraceRecord> records) {
        return validate(Trace.perPort(runId, profile, maxEvents, records));
    }

    private static List<Verdict> validateGroup(List<Trace> group) throws IOException, InterruptedException {
        JsonNode res = runChild(group, null);
        List<Trace> rejected = new ArrayList<>();
        List<Integer> rejectedAt = new ArrayList<>();
        for (int k = 0; k < group.size(); k++) {
            if (!res.get(k).get("accepted").asBoolean()) {
                rejected.add(group.get(k));
                rejectedAt.add(res.get(k).get("reached").asInt());
            }
        }
        JsonNode rep = rejected.isEmpty() ? null : runChild(rejected, rejectedAt);
        List<Verdict> vs = new ArrayList<>();
        int r = 0;
        for (int k = 0; k < group.size(); k++) {
            Trace t = group.get(k);
            int len = t.records().size();
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

    /** One TLC run in a fresh JVM; {@code reportAt} asks for enabled actions at those indexes. */
    private static JsonNode runChild(List<Trace> traces, List<Integer> reportAt) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("eventports-tv");
        try {
            ObjectNode spec = JSON.createObjectNode();
            spec.put("profile", traces.get(0).profile().id());
            spec.put("maxEvents", traces.get(0).maxEvents());
            spec.put("traces", traces.size());
            if (reportAt != null) {
                ArrayNode a = spec.putArray("report");
                reportAt.forEach(a::add);
            }
            JSON.writeValue(dir.resolve("batch.json").toFile(), spec);
            for (int k = 0; k < traces.size(); k++) {
                TraceIo.write(dir.resolve("trace-" + (k + 1) + ".ndjson"), traces.get(k).records());
            }
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseParallelGC", "-Xss4m",
                    // C1 only: a trace run is short, and C2's compilations cost more than they
                    // return (10k records: 3.0 s instead of 4.9 s; 100k: 7.4 s instead of 8.8 s)
                    "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + dir,
                    "-cp", System.getProperty("java.class.path")));
            String specDir = System.getProperty("eventports.tv.specdir");
            if (specDir != null) {
                cmd.add("-Deventports.tv.specdir=" + specDir);
            }
            cmd.add(TlcChild.class.getName());
            cmd.add(dir.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.out").toFile()).start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("TLC did not finish within 30 minutes");
            }
            if (p.exitValue() != 0) {
                String why = "";
                for (String f : List.of("error.txt", "tlc.out", "child.out")) {
                    if (Files.exists(dir.resolve(f))) {
                        why += tail(Files.readString(dir.resolve(f)));
                    }
                }
                throw new IOException("TLC could not validate (exit " + p.exitValue() + "):\n" + why);
            }
            return JSON.readTree(dir.resolve("result.json").toFile());
        } finally {
            if (!Boolean.getBoolean("eventports.tv.keep")) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private static String tail(String s) {
        String[] lines = s.split("\n");
        StringBuilder b = new StringBuilder();
        for (int n = Math.max(0, lines.length - 40); n < lines.length; n++) {
            b.append(lines[n]).append('\n');
        }
        return b.toString();
    }
}
