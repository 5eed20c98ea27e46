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

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every scenario of the project's corpus (conformance/scenarios) and of the shared examples
 * (shared/conformance/examples) passes in every profile it names: one test per file and profile.
 */
class ConformanceCorpusTest {
    static final Path CORPUS = Path.of("scenarios");
    static final Path EXAMPLES = Path.of("../../shared/conformance/examples");

    @TestFactory
    List<DynamicTest> corpus() throws IOException {
        return tests(CORPUS, 80);
    }

    @TestFactory
    List<DynamicTest> sharedExamples() throws IOException {
        return tests(EXAMPLES, 5);
    }

    private static List<DynamicTest> tests(Path dir, int atLeast) throws IOException {
        if (!Files.isDirectory(dir)) {
            fail("scenario directory " + dir.toAbsolutePath().normalize() + " is missing");
        }
        List<Path> files = ConformanceRunner.collect(List.of(dir));
        assertTrue(files.size() >= atLeast, dir + " holds " + files.size() + " scenarios, expected at least " + atLeast);
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
