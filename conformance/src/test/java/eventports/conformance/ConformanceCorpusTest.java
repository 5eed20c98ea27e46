package eventports.conformance;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every scenario of the project's corpus (conformance/scenarios) passes in every profile it
 * names: one test per file and profile. The cases of the five example scenarios the format was first published with are
 * among them, written anew in the corpus's words; {@link #seedExampleCases} runs the scenarios
 * that cover each case, so a rename or removal that drops one fails here.
 */
class ConformanceCorpusTest {
    /** The corpus, from this module's directory; the mutation module's PIT run names it from its own. */
    static final Path CORPUS = Path.of(System.getProperty("eventports.corpus", "scenarios"));

    /** Each case of the format's first five example scenarios and the corpus scenarios that cover it. */
    static final Map<String, List<String>> SEED_EXAMPLE_CASES = Map.of(
            "alert set, EBUSY on update, clear, update, clear (alert-set-update-clear)",
            List.of("alert-set-update-clear-cycle", "alert-update-busy-keeps-data", "alert-clear-ignores-flags"),
            "argument errors: nget > max > 0, EBADF, EBADFD, SET|UPDATE, sendn of nothing (argument-errors)",
            List.of("getn-nget-above-max-einval", "fe-ebadf-unopened-descriptor", "fe-ebadfd-not-a-port",
                    "alert-set-update-einval-without-alert-mode", "sendn-nent-zero-einval"),
            "port_get without timeout blocks until port_send (blocking-get-woken-by-send)",
            List.of("get-blocks-until-send"),
            "timed port_getn with fewer than nget events: ETIME with what it got (getn-etime-partial-results)",
            List.of("timeout-getn-partial-several"),
            "user events in send order, count query removes nothing (user-events-fifo-count-query)",
            List.of("getn-count-query-tracks-retrievals", "get-fifo-single-events", "send-no-coalescing-fifo"));

    @TestFactory
    List<DynamicTest> corpus() throws IOException {
        return tests(ConformanceRunner.collect(List.of(CORPUS)), 80);
    }

    @TestFactory
    List<DynamicTest> seedExampleCases() {
        List<Path> files = SEED_EXAMPLE_CASES.values().stream().flatMap(List::stream).distinct().sorted()
                .map(n -> CORPUS.resolve(n + ".json")).collect(Collectors.toList());
        return tests(files, 5);
    }

    private static List<DynamicTest> tests(List<Path> files, int atLeast) {
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                fail("scenario " + f.toAbsolutePath().normalize() + " is missing");
            }
        }
        assertTrue(files.size() >= atLeast, files.size() + " scenarios, expected at least " + atLeast);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                ConformanceRunner r = new ConformanceRunner(null, new PrintStream(buf, true, StandardCharsets.UTF_8), null);
                List<ScenarioRun.Verdict> vs = r.runFile(f);
                assertTrue(!vs.isEmpty(), f + " ran in no profile");
                for (ScenarioRun.Verdict v : vs) {
                    if (!v.passed()) {
                        fail(v.name() + " [" + v.profile() + "]: " + v.failure());
                    }
                }
            }));
        }
        return tests;
    }
}
