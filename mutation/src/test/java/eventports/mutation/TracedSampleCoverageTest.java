package eventports.mutation;

import eventports.conformance.ConformanceRunner;
import eventports.conformance.Scenario;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TracedSample.SAMPLE emits every record shape the whole corpus emits, so the tracing call
 * sites PIT mutates are covered by a validated trace. Not one of PIT's tests (it kills
 * nothing): it fails when the corpus or the emitters change, and prints the greedy choice.
 */
class TracedSampleCoverageTest {
    @Test
    void theSampleEmitsEveryRecordShapeOfTheCorpus() throws Exception {
        Map<String, Set<String>> byFile = new LinkedHashMap<>();
        for (Path f : ConformanceRunner.collect(List.of(TracedSample.CORPUS))) {
            Scenario sc = Scenario.parse(f);
            byFile.put(sc.name(), TracedSample.shapes(sc));
        }
        Set<String> all = new TreeSet<>();
        byFile.values().forEach(all::addAll);
        Set<String> covered = new HashSet<>();
        for (String name : TracedSample.SAMPLE) {
            assertTrue(byFile.containsKey(name), "no scenario " + name);
            covered.addAll(byFile.get(name));
        }
        Set<String> missing = new TreeSet<>(all);
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), () -> missing.size() + " of " + all.size() + " shapes not emitted by the sample, e.g. "
                + missing.stream().limit(5).toList() + "; a greedy cover: " + greedy(byFile, all));
    }

    /** Most new shapes first, until every shape is covered. */
    private static List<String> greedy(Map<String, Set<String>> byFile, Set<String> all) {
        Set<String> left = new HashSet<>(all);
        List<String> pick = new ArrayList<>();
        while (!left.isEmpty()) {
            String best = null;
            int gain = 0;
            for (Map.Entry<String, Set<String>> e : byFile.entrySet()) {
                int g = (int) e.getValue().stream().filter(left::contains).count();
                if (g > gain) {
                    gain = g;
                    best = e.getKey();
                }
            }
            pick.add(best);
            left.removeAll(byFile.get(best));
        }
        return pick;
    }
}
