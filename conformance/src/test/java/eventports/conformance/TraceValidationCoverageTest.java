package eventports.conformance;

import eventports.kernel.CoreFault;
import eventports.kernel.Profile;
import eventports.trace.MemorySink;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trace validation in mvn verify: every corpus scenario's run, in every profile it names, is a
 * behaviour of spec/EventPort.tla; and each fault switch of the core produces a trace the
 * validator rejects.
 */
class TraceValidationCoverageTest {

    @Test
    void everyCorpusRunIsABehaviourOfTheSpec() throws IOException {
        List<Path> files = ConformanceRunner.collect(List.of(ConformanceCorpusTest.CORPUS));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConformanceRunner r = new ConformanceRunner(null, new PrintStream(buf, true, StandardCharsets.UTF_8), null)
                .validatingTraces(true);
        ConformanceRunner.Summary s = r.run(files);
        System.out.printf("trace validation: %d runs, %d traces, %d records%n", s.passed() + s.failed(),
                r.tracesValidated(), r.recordsValidated());
        String fails = buf.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("FAIL"))
                .collect(Collectors.joining("\n"));
        assertEquals(0, s.failed(), fails);
        assertTrue(r.tracesValidated() >= 250, "traces validated: " + r.tracesValidated());
    }

    /** Each fault, and a scenario whose run exposes it. */
    static final Map<CoreFault, String> EXPOSED_BY = Map.of(
            CoreFault.WAKE_DURING_RETRIEVAL, "retriever-defers-wakeup-to-exit",
            CoreFault.LOST_PUSHBACK, "pushback-to-tail",
            CoreFault.WAIT_EVENTS_KEPT, "noshare-retry-rescans-on-each-new-event",
            CoreFault.THRCNT_LEAK, "close-last-with-two-waiters-handoff",
            CoreFault.FIFO_WAITERS, "ring-largest-count-before-last",
            CoreFault.ALERT_OVERWRITES_SNAPSHOT, "alert-per-waiter-snapshot");

    @Test
    void everyFaultSwitchProducesARejectedTrace() throws Exception {
        assertEquals(CoreFault.values().length, EXPOSED_BY.size(), "every fault switch has a scenario");
        List<Trace> traces = new ArrayList<>();
        for (Map.Entry<CoreFault, String> e : EXPOSED_BY.entrySet()) {
            Scenario sc = Scenario.parse(ConformanceCorpusTest.CORPUS.resolve(e.getValue() + ".json"));
            MemorySink sink = new MemorySink();
            ScenarioRun run = new ScenarioRun(sc, Profile.ILLUMOS, sink);
            run.system().inject(e.getKey());
            run.run(); // its expectations may or may not notice; the trace must
            traces.addAll(Trace.perPort(e.getKey().name(), Profile.ILLUMOS, sc.limits().portMaxEvents(), sink.records()));
        }
        List<Verdict> vs = TraceValidator.validate(traces);
        for (Verdict v : vs) {
            System.out.println(v.report());
        }
        for (CoreFault f : CoreFault.values()) {
            assertTrue(vs.stream().anyMatch(v -> v.id().startsWith(f.name() + ":") && !v.accepted()),
                    "fault " + f + ": the validator accepted the faulty run of " + EXPOSED_BY.get(f));
        }
        assertFalse(vs.isEmpty());
    }
}
