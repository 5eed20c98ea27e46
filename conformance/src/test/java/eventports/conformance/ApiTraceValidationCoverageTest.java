package eventports.conformance;

import eventports.tracevalidation.api.ApiValidator;
import eventports.tracevalidation.api.ApiVerdict;
import org.junit.jupiter.api.Test;

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
                .filter(f -> f.getFileName().toString().startsWith(only)).collect(Collectors.toList());
        List<ApiValidator.ApiTrace> traces = ApiTraces.of(files);
        long t0 = System.nanoTime();
        List<ApiVerdict> vs = ApiValidator.validate(traces);
        double s = (System.nanoTime() - t0) / 1e9;
        long records = traces.stream().mapToLong(t -> t.records().size()).sum();
        System.out.printf("API trace validation: %d traces, %d records, %.1f s%n", traces.size(), records, s);
        String rejected = vs.stream().filter(v -> !v.accepted()).map(ApiVerdict::report)
                .collect(Collectors.joining("\n"));
        assertEquals("", rejected);
        assertTrue(only.isEmpty() ? traces.size() >= 300 : !traces.isEmpty(), "traces: " + traces.size());
    }
}
