package eventports.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Profile;
import eventports.tracevalidation.api.ApiTraceIo;
import eventports.tracevalidation.api.ApiValidator;
import eventports.tracevalidation.api.ApiVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API-level trace validation in mvn verify: the API projection of every corpus scenario's run,
 * in every profile it names, is accepted by TLC against spec/EventPort.tla (one TLC run per
 * profile). The doctored variants that must be rejected are DoctoredApiTraceTest's.
 */
class ApiTraceValidationCoverageTest {

    @Test
    void everyCorpusRunsApiTraceIsABehaviourOfTheSpec() throws IOException {
        String only = System.getProperty("eventports.api.only", "");
        List<Path> files = ConformanceRunner.collect(List.of(ConformanceCorpusTest.CORPUS)).stream()
                .filter(f -> f.getFileName().toString().startsWith(only))
                .collect(Collectors.toList());
        List<ApiValidator.ApiTrace> traces = ApiTraces.of(files);
        long t0 = System.nanoTime();
        List<ApiVerdict> vs = ApiValidator.validate(traces);
        double s = (System.nanoTime() - t0) / 1e9;
        long records = traces.stream().mapToLong(t -> t.records().size()).sum();
        System.out.printf("API trace validation: %d traces, %d records, %d spec states, %.1f s%n", traces.size(), records,
                vs.stream().mapToLong(ApiVerdict::states).sum(), s);
        String rejected = vs.stream().filter(v -> !v.accepted()).map(ApiVerdict::report)
                .collect(Collectors.joining("\n"));
        assertEquals("", rejected);
        assertTrue(only.isEmpty() ? traces.size() >= 300 : !traces.isEmpty(), "traces: " + traces.size());
    }

    /**
     * Two per-process closes of one port take turns (closef holds the open file's f_tlock across
     * port_close, K:fio.c): the second closer is asleep before its close has begun in the spec.
     */
    @Test
    void aCloserWaitingForAnotherCloseIsAsleep() throws Exception {
        Scenario sc = Scenario.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"name": "closes-take-turns", "profile": "illumos", "steps": [
                 {"op": "port_create", "thread": "T0", "proc": "P1", "as": "p"},
                 {"op": "fork", "proc": "P1", "child": "P2"},
                 {"op": "fork", "proc": "P1", "child": "P3"},
                 {"op": "port_send", "thread": "T0", "port": "p", "events": 1, "user": "a"},
                 {"op": "port_get", "thread": "T1", "proc": "P1", "port": "p", "timeout": null, "pause": "delivery"},
                 {"op": "close", "thread": "T2", "proc": "P2", "fd": "p", "expect": {"blocks": true}},
                 {"op": "close", "thread": "T3", "proc": "P3", "fd": "p", "expect": {"blocks": true}},
                 {"op": "await", "thread": "T1", "expect": {"ret": 0}},
                 {"op": "await", "thread": "T2", "expect": {"ret": 0}},
                 {"op": "await", "thread": "T3", "expect": {"ret": 0}}]}"""), null);
        ApiTraces.Run run = ApiTraces.run(sc, Profile.ILLUMOS);
        assertTrue(run.verdict().passed(), run.verdict().failure());
        assertTrue(run.records().stream().anyMatch(r -> r.path("kind").asText().equals("sleep")
                && r.path("thread").asText().equals("T3")), "T3 is reported asleep");
        ApiVerdict v = ApiValidator.validate(List.of(new ApiValidator.ApiTrace(sc.name(), Profile.ILLUMOS,
                run.records()))).get(0);
        assertTrue(v.accepted(), v.report());
    }

    /**
     * exit(2) of a process that holds the port under two descriptors (a dup) closes both, one
     * after the other: the first close is per-process, the second the last, which portfs on its
     * own shows its waiter (EBADFD), where the descriptor layer ended that call with EINTR first
     * (exitlwps); the port's id is free again afterwards.
     */
    @Test
    void anExitClosesEachDescriptorOfThePortInTurn() throws Exception {
        for (String layer : List.of("descriptors", "portfs")) {
            Scenario sc = Scenario.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                    {"name": "exit-closes-dup-pair", "profile": "illumos", "layer": "%s", "limits": {"port_max_ids": 1},
                     "steps": [
                     {"op": "port_create", "thread": "T0", "proc": "P1", "as": "p"},
                     {"op": "dup", "thread": "T0", "fd": "p", "as": "q"},
                     {"op": "port_get", "thread": "T1", "proc": "P1", "port": "q", "timeout": null,
                      "expect": {"blocks": true}},
                     {"op": "exit", "proc": "P1"},
                     {"op": "await", "thread": "T1", "expect": {"errno": "%s"}},
                     {"op": "port_create", "thread": "T2", "proc": "P2", "as": "r", "expect": {"ret": 3}}]}"""
                    .formatted(layer, layer.equals("portfs") ? "EBADFD" : "EINTR")), null);
            ApiTraces.Run run = ApiTraces.run(sc, Profile.ILLUMOS);
            assertTrue(run.verdict().passed(), layer + ": " + run.verdict().failure());
            ApiVerdict v = ApiValidator.validate(List.of(new ApiValidator.ApiTrace(sc.name(), Profile.ILLUMOS,
                    run.records()))).get(0);
            assertTrue(v.accepted(), layer + ": " + v.report());
        }
    }

    /**
     * F14 at the API level: the illumos run ends in the core's stop at port.c:1415 (a kevent
     * linked into the port queue while port_copy_event's window was open is re-inserted into
     * the temp list); that panic is a behaviour of the illumos profile and of no corrected one,
     * where the validator names the panic's return.
     */
    @Test
    void f14sPanicIsIllumosOnly() throws Exception {
        Scenario sc = Scenario.parse(ConformanceCorpusTest.CORPUS.resolve("finding-f14-reassociate-in-copy-window-illumos.json"));
        List<ObjectNode> recs = ApiTraces.run(sc, Profile.ILLUMOS).records();
        List<ApiVerdict> vs = ApiValidator.validate(List.of(new ApiValidator.ApiTrace("illumos", Profile.ILLUMOS, recs),
                new ApiValidator.ApiTrace("corrected", Profile.CORRECTED, recs)));
        assertTrue(vs.get(0).accepted(), vs.get(0).report());
        assertTrue(!vs.get(1).accepted(), "the corrected profile accepts F14's panic");
        assertEquals(recs.size() - 1, vs.get(1).firstRejected(), vs.get(1).report());
        assertTrue(vs.get(1).rejectedRecord().contains("\"panic\""), vs.get(1).report());
    }

    /** conformance --level api: the runner writes each run's API trace, and validates it. */
    @Test
    void theRunnerWritesAndValidatesApiTraces(@TempDir Path dir) throws Exception {
        Path file = ConformanceCorpusTest.CORPUS.resolve("ring-ties-lifo.json");
        ConformanceRunner r = new ConformanceRunner(null, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), null).apiLevel(true).writingTraces(dir).validatingTraces(true);
        ConformanceRunner.Summary s = r.run(List.of(file));
        assertEquals(1, s.passed());
        assertEquals(1, r.tracesValidated());
        List<ObjectNode> written = ApiTraceIo.read(dir.resolve("ring-ties-lifo.illumos.api.ndjson"));
        assertEquals(ApiTraces.run(Scenario.parse(file), Profile.ILLUMOS).records().toString(), written.toString());
    }
}
