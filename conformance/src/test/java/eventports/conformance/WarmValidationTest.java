package eventports.conformance;

import eventports.kernel.Profile;
import eventports.trace.MemorySink;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Warm validation (eventports.tracevalidation.WarmTlc) gives the verdicts of cold validation on
 * the whole corpus: every run of every scenario in every profile it names, and the runs of the
 * core's fault switches (rejected traces: the same record is named). The cold side is one
 * batched call, as the corpus validation makes it; the warm side validates the corpus a few
 * scenario files at a time, so that each warm server runs many TLC runs one after another
 * (the case that gave wrong answers before each run had TLC's classes to itself).
 */
class WarmValidationTest {
    /** Scenario files per warm call. */
    private static final int CHUNK = 100;

    /** What a verdict says, independent of how the traces were batched (a state names its trace's batch index). */
    private record Outcome(String id, boolean accepted, int records, int firstRejected, String rejectedRecord) {
        static Outcome of(Verdict v) {
            return new Outcome(v.id(), v.accepted(), v.records(), v.firstRejected(), v.rejectedRecord());
        }
    }

    private static List<Trace> traces(Path file) throws Exception {
        Scenario sc = Scenario.parse(file);
        List<Trace> out = new ArrayList<>();
        for (Profile p : sc.profiles()) {
            MemorySink sink = new MemorySink();
            new ScenarioRun(sc, p, sink).run();
            out.addAll(Trace.perPort(sc.name() + "[" + p.id() + "]", p, sc.limits().portMaxEvents(), sink.records()));
        }
        return out;
    }

    /** The runs of the fault switches (TraceValidationCoverageTest.EXPOSED_BY): traces the validator rejects. */
    private static List<Trace> faultTraces() throws Exception {
        List<Trace> out = new ArrayList<>();
        for (Map.Entry<eventports.kernel.CoreFault, String> e : TraceValidationCoverageTest.EXPOSED_BY.entrySet()) {
            Scenario sc = Scenario.parse(ConformanceCorpusTest.CORPUS.resolve(e.getValue() + ".json"));
            MemorySink sink = new MemorySink();
            ScenarioRun run = new ScenarioRun(sc, Profile.ILLUMOS, sink);
            run.system().inject(e.getKey());
            run.run();
            out.addAll(Trace.perPort(e.getKey().name(), Profile.ILLUMOS, sc.limits().portMaxEvents(), sink.records()));
        }
        return out;
    }

    @Test
    void warmVerdictsAreTheColdOnesOnTheWholeCorpus() throws Exception {
        List<Path> files = ConformanceRunner.collect(List.of(ConformanceCorpusTest.CORPUS));
        List<Trace> all = new ArrayList<>();
        List<Outcome> warm = new ArrayList<>();
        for (int from = 0; from < files.size(); from += CHUNK) {
            List<Trace> chunk = new ArrayList<>();
            for (Path f : files.subList(from, Math.min(files.size(), from + CHUNK))) {
                chunk.addAll(traces(f));
            }
            all.addAll(chunk);
            TraceValidator.validate(chunk, true).forEach(v -> warm.add(Outcome.of(v)));
        }
        List<Outcome> cold = TraceValidator.validate(all, false).stream().map(Outcome::of).toList();
        assertTrue(cold.size() >= 250, "corpus traces: " + cold.size());
        assertEquals(cold, warm);

        List<Trace> faults = faultTraces();
        List<Verdict> faultCold = TraceValidator.validate(faults, false);
        List<Verdict> faultWarm = TraceValidator.validate(faults, true);
        assertTrue(faultCold.stream().anyMatch(v -> !v.accepted()), "the fault runs include rejected traces");
        assertEquals(faultCold, faultWarm);
    }
}
