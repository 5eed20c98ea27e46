package eventports.tracevalidation.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Profile;
import eventports.tracevalidation.TlcChild;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decides with TLC whether API-level traces (trace-validation/FORMAT.md, "Level api") are
 * behaviours of spec/EventPort.tla in a profile: the loader ({@link ApiLoader}) checks what
 * needs no port and splits each trace per port; every port trace of a profile and layer (the
 * header's) goes to one TLC run of spec/ApiTraceEventPort.tla (a BFS that finds the internal
 * steps); a trace is accepted
 * iff the loader and every one of its ports are. The first record nobody explains is the
 * earliest of the loader's rejection and each rejected port's furthest record.
 */
public final class ApiValidator {
    /** An API trace to validate: its records (header first) and the profile to check it against. */
    public record ApiTrace(String id, Profile profile, List<ObjectNode> records) {
    }

    /** A TLC run's share: EventPort's Profile and FdLayer are constants, so each pair is a batch. */
    private record Group(Profile profile, boolean fdLayer) {
    }

    /** Concurrent TLC JVMs. */
    static int parallel = Integer.getInteger("eventports.tv.parallel", 2);

    private ApiValidator() {
    }

    /**
     * What the loader alone makes of a trace, without TLC: null if it accepts the records as far
     * as it can check them (descriptors, front-end errnos, the split per port), else its reason.
     * For tests that feed the loader arbitrary records: it must answer, never throw.
     */
    public static String load(ApiTrace t) {
        ApiLoader l = ApiLoader.load(t.id(), t.records());
        return l.reject == null ? null : l.reject.getMessage();
    }

    /** Validate every trace; verdicts in the order given. */
    public static List<ApiVerdict> validate(List<ApiTrace> traces) {
        List<ApiLoader> loads = new ArrayList<>();
        Map<Group, List<PortTrace>> groups = new LinkedHashMap<>();
        for (ApiTrace t : traces) {
            ApiLoader l = ApiLoader.load(t.id(), t.records());
            loads.add(l);
            for (PortTrace p : l.ports) {
                groups.computeIfAbsent(new Group(t.profile(), p.fdLayer), g -> new ArrayList<>()).add(p);
            }
        }
        Map<PortTrace, JsonNode> results = run(groups, true);
        Map<Group, List<PortTrace>> rejected = new LinkedHashMap<>();
        results.forEach((p, r) -> {
            if (!r.get("accepted").asBoolean()) {
                rejected.computeIfAbsent(groupOf(groups, p), k -> new ArrayList<>()).add(p);
            }
        });
        // the exact pass: how far each rejected port gets without knowing its returns early
        run(rejected, false).forEach((p, r) -> {
            ObjectNode exact = r.deepCopy();
            exact.put("distinct", results.get(p).get("distinct").asLong() + r.get("distinct").asLong());
            results.put(p, exact);
        });
        List<ApiVerdict> out = new ArrayList<>();
        for (int n = 0; n < traces.size(); n++) {
            out.add(verdict(traces.get(n), loads.get(n), results));
        }
        return out;
    }

    /** One TLC run per profile and layer (two at a time), every port trace of the pair in one batch. */
    private static Map<PortTrace, JsonNode> run(Map<Group, List<PortTrace>> groups, boolean lookahead) {
        Map<PortTrace, JsonNode> results = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        try {
            Map<Group, Future<JsonNode>> fs = new LinkedHashMap<>();
            for (Map.Entry<Group, List<PortTrace>> g : groups.entrySet()) {
                if (!g.getValue().isEmpty()) {
                    fs.put(g.getKey(), pool.submit(() -> TlcChild.spawn(dir -> ApiTraceWriter.JSON.writeValue(
                            dir.resolve("batch.json").toFile(), ApiBatch.build(g.getKey().profile().id(),
                                    g.getKey().fdLayer(), g.getValue(), lookahead)))));
                }
            }
            for (Map.Entry<Group, Future<JsonNode>> f : fs.entrySet()) {
                JsonNode res = f.getValue().get();
                List<PortTrace> g = groups.get(f.getKey());
                for (int k = 0; k < g.size(); k++) {
                    results.put(g.get(k), res.get(k));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("API trace validation could not run: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        return results;
    }

    private static Group groupOf(Map<Group, List<PortTrace>> groups, PortTrace p) {
        return groups.entrySet().stream().filter(g -> g.getValue().contains(p)).findFirst().orElseThrow().getKey();
    }

    private static ApiVerdict verdict(ApiTrace t, ApiLoader l, Map<PortTrace, JsonNode> results) {
        long first = Long.MAX_VALUE;
        String why = null;
        List<String> states = List.of();
        if (l.reject != null) {
            first = l.reject.at;
            why = l.reject.getMessage();
        }
        long explored = 0;
        for (PortTrace p : l.ports) {
            JsonNode r = results.get(p);
            explored += r == null ? 0 : r.get("distinct").asLong();
            if (r == null || r.get("accepted").asBoolean()) {
                continue;
            }
            int got = Math.max(r.get("reached").asInt(), 0);
            int at = p.origin.get(got);
            if (at < first) {
                first = at;
                why = "no behaviour of spec/EventPort.tla (profile " + t.profile().id() + ") explains it (port "
                        + (p.port + 1) + ", record " + (got + 1) + " of the " + p.size() + " on that port)";
                states = new ArrayList<>();
                for (JsonNode s : r.get("states")) {
                    states.add(s.asText());
                }
            }
        }
        int size = t.records().size();
        if (why == null) {
            return new ApiVerdict(t.id(), true, size, -1, null, null, List.of(), explored);
        }
        return new ApiVerdict(t.id(), false, size, first, t.records().get((int) first).toString(), why, states,
                explored);
    }
}
