package eventports.conformance;

import com.code_intelligence.jazzer.junit.FuzzTest;
import eventports.kernel.Profile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: any input to the scenario reader either gets a clear error (one line, naming what
 * is wrong) or is a scenario that the reference replays to a verdict — never an unchecked
 * exception, a runner fault or a hang.
 *
 * <p>{@link #anyBytes} is a Jazzer fuzz test: in {@code mvn verify} it replays its seed inputs
 * (src/test/resources/.../ScenarioReaderFuzzTestInputs); {@code JAZZER_FUZZ=1 mvn test -pl
 * conformance -am -Dtest=ScenarioReaderFuzzTest} fuzzes it, guided by coverage (README,
 * "Fuzzing"). {@link #everyMutantOfTheCorpus} runs structured mutants of every corpus scenario in
 * every build.
 */
class ScenarioReaderFuzzTest {
    private static Path file;

    private static synchronized Path scratch() throws IOException {
        if (file == null) {
            file = Files.createTempFile("eventports-fuzz-", ".json");
            file.toFile().deleteOnExit();
        }
        return file;
    }

    /** The property, for one input. */
    static void holds(byte[] data) throws IOException {
        Path f = scratch();
        Files.write(f, data);
        Scenario sc;
        try {
            sc = Scenario.parse(f);
        } catch (ScenarioException e) {
            String m = e.getMessage();
            assertTrue(m != null && !m.isBlank() && !m.contains("\n"), "not a clear one-line error: " + m);
            return;
        }
        for (Profile p : sc.profiles()) {
            ScenarioRun run = new ScenarioRun(sc, p, null);
            run.sched().setWatchdog(20_000);        // a hang, not a slow step on a loaded machine (5 s fired at load 47)
            ScenarioRun.Verdict v = run.run();
            assertFalse(!v.passed() && (v.failure().contains("runner fault") || v.failure().contains("unchecked exception")),
                    "the reference broke on a scenario the reader accepted: " + v.failure() + "\n"
                            + new String(data, StandardCharsets.UTF_8));
        }
    }

    @FuzzTest(maxDuration = "10m")
    void anyBytes(byte[] data) throws IOException {
        holds(data);
    }

    @Test
    void everyMutantOfTheCorpus() throws IOException {
        int n = 0;
        List<Path> corpus = ConformanceRunner.collect(List.of(ImplProtocolTest.CORPUS));
        for (Path f : corpus) {
            String text = Files.readString(f);
            for (String m : Mutations.of(text, f.getFileName().toString().hashCode(), 6)) {
                holds(m.getBytes(StandardCharsets.UTF_8));
                n++;
            }
        }
        assertTrue(n >= 6 * 200, "mutants tried: " + n);
    }
}
