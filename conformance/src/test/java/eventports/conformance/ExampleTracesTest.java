package eventports.conformance;

import eventports.kernel.Profile;
import eventports.trace.MemorySink;
import eventports.trace.Ndjson;
import eventports.trace.TraceRecord;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceIo;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example traces beside the spec (spec/traces/NAME.PROFILE.ndjson, documented in
 * spec/README.md) cannot rot: each is a behaviour of spec/EventPort.tla, each is exactly what
 * the core writes today for the corpus scenario NAME in PROFILE, and each, with a record taken
 * out of its middle, is rejected (so the first check can fail).
 */
class ExampleTracesTest {
    static final Path TRACES = Path.of("../spec/traces");

    /** An example trace and where it comes from. */
    record Example(Path file, String scenario, Profile profile) {
        List<TraceRecord> records() throws IOException {
            return TraceIo.read(file);
        }

        Scenario source() throws ScenarioException {
            return Scenario.parse(ConformanceCorpusTest.CORPUS.resolve(scenario + ".json"));
        }

        String regenerate() {
            return "./eventports conformance --profile " + profile.id() + " --write-traces spec/traces"
                    + " conformance/scenarios/" + scenario + ".json";
        }
    }

    static List<Example> examples() throws IOException {
        List<Example> l = new ArrayList<>();
        try (Stream<Path> s = Files.list(TRACES)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".ndjson")).sorted().collect(Collectors.toList())) {
                String[] parts = f.getFileName().toString().split("\\.");
                assertEquals(3, parts.length, f + ": an example trace is named SCENARIO.PROFILE.ndjson");
                l.add(new Example(f, parts[0], Profile.of(parts[1])));
            }
        }
        assertTrue(l.size() >= 3, TRACES + " holds " + l.size() + " example traces, expected at least 3");
        return l;
    }

    /** Id prefix of a doctored copy: the example with a record taken out of its middle. */
    private static final String DOCTORED = "doctored:";
    /** Verdicts on every example and its doctored copy, from one TLC run. */
    private static List<Verdict> verdicts;
    /** Per example: the record its doctored copy lacks. */
    private static final Map<Path, TraceRecord> DROPPED = new HashMap<>();

    @BeforeAll
    static void validateAll() throws Exception {
        List<Trace> traces = new ArrayList<>();
        for (Example e : examples()) {
            int maxEvents = e.source().limits().portMaxEvents();
            List<TraceRecord> records = e.records();
            traces.addAll(Trace.perPort(e.file().toString(), e.profile(), maxEvents, records));
            List<TraceRecord> doctored = new ArrayList<>(records);
            DROPPED.put(e.file(), doctored.remove(doctored.size() / 2));
            traces.addAll(Trace.perPort(DOCTORED + e.file(), e.profile(), maxEvents, doctored));
        }
        verdicts = TraceValidator.validate(traces);
    }

    private static List<Verdict> of(String id) {
        List<Verdict> l = verdicts.stream().filter(v -> v.id().startsWith(id + ":")).collect(Collectors.toList());
        assertFalse(l.isEmpty(), id + ": nothing validated");
        return l;
    }

    @Test
    void everyExampleTraceIsABehaviourOfTheSpec() throws Exception {
        for (Example e : examples()) {
            for (Verdict v : of(e.file().toString())) {
                assertTrue(v.accepted(), e.file() + " is not a behaviour of spec/EventPort.tla:\n" + v.report());
            }
        }
    }

    @Test
    void everyExampleTraceIsWhatTheCoreWritesToday() throws Exception {
        for (Example e : examples()) {
            MemorySink sink = new MemorySink();
            ScenarioRun.Verdict v = new ScenarioRun(e.source(), e.profile(), sink).run();
            assertTrue(v.passed(), e.scenario() + " [" + e.profile().id() + "] fails: " + v.failure());
            List<String> now = sink.records().stream().map(Ndjson::line).collect(Collectors.toList());
            List<String> kept = Files.readAllLines(e.file()).stream().filter(l -> !l.isBlank())
                    .collect(Collectors.toList());
            assertEquals(now, kept, e.file() + " is not what the core writes for " + e.scenario()
                    + " today; regenerate it: " + e.regenerate());
        }
    }

    @Test
    void anExampleTraceWithoutOneOfItsRecordsIsRejected() throws Exception {
        for (Example e : examples()) {
            TraceRecord dropped = DROPPED.get(e.file());
            assertTrue(of(DOCTORED + e.file()).stream().anyMatch(v -> !v.accepted()),
                    e.file() + " without record " + dropped.seq() + " (" + dropped.action() + ") was accepted");
        }
    }
}
