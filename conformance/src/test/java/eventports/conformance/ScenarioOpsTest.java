package eventports.conformance;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new scenario op (CONTRIBUTING.md, "a new scenario op") comes with a corpus scenario that
 * uses it: the format's ops ({@link Scenario}) are exactly the ops the corpus exercises, so the
 * runner's side of every op is run by ConformanceCorpusTest in every profile it names.
 */
class ScenarioOpsTest {
    @Test
    void everyOpOfTheFormatIsUsedByTheCorpus() throws Exception {
        Set<String> used = new TreeSet<>();
        for (Path f : ConformanceRunner.collect(List.of(ConformanceCorpusTest.CORPUS))) {
            Scenario.parse(f).steps().forEach(s -> used.add(s.path("op").asText()));
        }
        Set<String> unused = new TreeSet<>(Scenario.CALLS);
        unused.addAll(Scenario.DRIVER);
        unused.removeAll(used);
        assertTrue(unused.isEmpty(), "no corpus scenario uses " + unused);
    }
}
