package eventports.conformance;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Profile;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceIo;
import eventports.tracevalidation.api.ApiTraceIo;
import eventports.tracevalidation.api.ApiValidator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: any input to the two trace readers — lock level (TraceIo, then the split per port)
 * and API level (ApiTraceIo, then the loader that resolves descriptors and checks front-end
 * errnos) — either gets a clear error naming the file and line, or is loaded; never an
 * unchecked exception or a hang. TLC itself is not run per input (that is the validators'
 * own tests). Fuzzing on demand as for {@link ScenarioReaderFuzzTest}.
 */
class TraceReaderFuzzTest {
    private static Path file;

    private static synchronized Path scratch() throws IOException {
        if (file == null) {
            file = Files.createTempFile("eventports-fuzz-", ".ndjson");
            file.toFile().deleteOnExit();
        }
        return file;
    }

    static void lockLevelHolds(byte[] data) throws IOException {
        Path f = scratch();
        Files.write(f, data);
        try {
            Trace.perPort("fuzz", Profile.ILLUMOS, 64, TraceIo.readRun(f));
        } catch (IOException e) {
            clear(e);
        }
    }

    static void apiLevelHolds(byte[] data) throws IOException {
        Path f = scratch();
        Files.write(f, data);
        List<ObjectNode> records;
        try {
            records = ApiTraceIo.read(f);
        } catch (IOException e) {
            clear(e);
            return;
        }
        ApiValidator.load(new ApiValidator.ApiTrace("fuzz", Profile.ILLUMOS, records));
    }

    private static void clear(IOException e) {
        String m = e.getMessage();
        assertTrue(m != null && m.startsWith(file.toString()) && !m.contains("\n"),
                "not a clear one-line error naming the file: " + m);
    }

    @FuzzTest(maxDuration = "10m")
    void anyLockLevelBytes(byte[] data) throws IOException {
        lockLevelHolds(data);
    }

    @FuzzTest(maxDuration = "10m")
    void anyApiLevelBytes(byte[] data) throws IOException {
        apiLevelHolds(data);
    }

    /** Lock-level seeds: spec/traces, and the traces of a few corpus runs. */
    static List<String> lockSeeds() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("../spec/traces"))) {
            for (Path p : s.filter(x -> x.toString().endsWith(".ndjson")).sorted().collect(Collectors.toList())) {
                out.add(Files.readString(p));
            }
        }
        return out;
    }

    /** API-level seeds: the API traces of some corpus runs. */
    static List<String> apiSeeds() throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> some = ConformanceRunner.collect(List.of(ImplProtocolTest.CORPUS)).stream()
                .filter(f -> f.getFileName().toString().matches("(alert|fd|timer|close-last|fork)-.*")).limit(40)
                .collect(Collectors.toList());
        for (ApiValidator.ApiTrace t : ApiTraces.of(some)) {
            out.add(t.records().stream().map(Object::toString).collect(Collectors.joining("\n")) + "\n");
        }
        return out;
    }

    @Test
    void everyMutantOfTheSampleTraces() throws IOException {
        int n = 0;
        for (String seed : lockSeeds()) {
            lockLevelHolds(seed.getBytes(StandardCharsets.UTF_8));
            for (String m : Mutations.of(seed, seed.hashCode(), 150)) {
                lockLevelHolds(m.getBytes(StandardCharsets.UTF_8));
                n++;
            }
        }
        for (String seed : apiSeeds()) {
            apiLevelHolds(seed.getBytes(StandardCharsets.UTF_8));
            for (String m : Mutations.of(seed, seed.hashCode(), 40)) {
                apiLevelHolds(m.getBytes(StandardCharsets.UTF_8));
                n++;
            }
        }
        assertTrue(n > 1000, "mutants tried: " + n);
    }
}
