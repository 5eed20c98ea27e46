package eventports.cport;

import eventports.conformance.ConformanceRunner;
import eventports.kernel.Profile;
import eventports.tracevalidation.api.ApiTraceIo;
import eventports.tracevalidation.api.ApiValidator;
import eventports.tracevalidation.api.ApiVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * c-port against its own tests and against the corpus, through the protocol: `make check`
 * (the library on the real clock, the hand-written sessions, and the sessions with a wrong
 * expectation that must be rejected) passes; the whole corpus runs against ./run, and every
 * scenario is a PASS, a SKIP for a capability c-port does not declare, or a FAIL that README.md
 * lists, at the step it lists ({@link Divergences}); and the API-level trace of every run is
 * checked against the spec: accepted for a PASS and for a FAIL the README calls accepted, and
 * rejected at the record it names for a behavioural divergence. -Dcport.tsan=true runs the corpus on the
 * ThreadSanitizer build instead (any race it finds ends the driver, and the run fails).
 */
class CPortCorpusTest {
    static final Path CORPUS = Path.of("../../conformance/scenarios");

    @TempDir
    Path traces;

    @Test
    void makeCheckPasses() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("make", "-s", "check").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "make check finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("PASS unit.c") && out.contains("PASS basic.jsonl") && out.contains("caught wrong-trace"),
                out);
    }

    @Test
    void theCorpusPassesExceptTheListedDivergences() throws IOException {
        String command = "'" + Path.of("run").toAbsolutePath() + "'";
        if (Boolean.getBoolean("cport.tsan")) {
            command = "C_PORT_TSAN=1 TSAN_OPTIONS=halt_on_error=1:exitcode=66 " + command;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConformanceRunner.Summary s = new ConformanceRunner(null, new PrintStream(buf, true, StandardCharsets.UTF_8), null)
                .againstImpl(command, Duration.ofSeconds(30), 50)
                .writingTraces(traces)
                .run(ConformanceRunner.collect(List.of(CORPUS)));
        String out = buf.toString(StandardCharsets.UTF_8);
        Map<String, Divergences.Divergence> expected = Divergences.fromReadme(Files.readString(Path.of("README.md")));
        List<String> problems = Divergences.problems(out.lines().toList(), expected);
        assertEquals(List.of(), problems, out);
        assertEquals(expected.size(), s.failed(), out);
        assertTrue(s.passed() > 0, out);
        Map<String, ApiVerdict> verdicts = validateTraces();
        assertEquals(s.passed() + s.failed(), verdicts.size(), "every run made wrote its API-level trace: " + out);
        assertEquals(List.of(), Divergences.traceProblems(verdicts, expected));
    }

    /** The API-level trace of every run, validated in one batch: scenario name → verdict. */
    private Map<String, ApiVerdict> validateTraces() throws IOException {
        String suffix = ".illumos.api.ndjson";
        List<ApiValidator.ApiTrace> batch = new ArrayList<>();
        try (var files = Files.list(traces)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                assertTrue(name.endsWith(suffix), "a trace of the profile c-port claims: " + name);
                batch.add(new ApiValidator.ApiTrace(name.substring(0, name.length() - suffix.length()), Profile.ILLUMOS,
                        ApiTraceIo.read(f)));
            }
        }
        Map<String, ApiVerdict> out = new LinkedHashMap<>();
        List<ApiVerdict> vs = ApiValidator.validate(batch);
        for (int i = 0; i < vs.size(); i++) {
            out.put(batch.get(i).id(), vs.get(i));
        }
        return out;
    }
}
