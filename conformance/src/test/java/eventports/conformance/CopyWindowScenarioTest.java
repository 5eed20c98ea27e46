package eventports.conformance;

import eventports.kernel.Profile;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * F14 (model-check/FINDINGS.md): the owner's re-association inside port_copy_event's window
 * links one kevent into the port queue and the temp list (illumos), or waits for the retriever
 * (corrected). The corpus runs both scenarios and validates their traces; here, their teeth: the
 * illumos steps are not what the corrected core does, and the trace matcher follows the illumos
 * run only through the window its port_fd_callback record opens.
 */
class CopyWindowScenarioTest {
    static final String NAME = "finding-f14-reassociate-in-copy-window-illumos";

    private static Scenario scenario() throws Exception {
        return Scenario.parse(ConformanceCorpusTest.CORPUS.resolve(NAME + ".json"));
    }

    @Test
    void theCorrectedCoreDoesNotFollowTheIllumosScenario() throws Exception {
        assertTrue(new ScenarioRun(scenario(), Profile.ILLUMOS, new MemorySink()).run().passed());
        ScenarioRun.Verdict v = new ScenarioRun(scenario(), Profile.CORRECTED, new MemorySink()).run();
        assertFalse(v.passed(), "the corrected core followed F14's illumos scenario");
    }

    @Test
    void theTraceIsFollowedOnlyThroughTheWindow() throws Exception {
        Scenario sc = scenario();
        MemorySink sink = new MemorySink();
        new ScenarioRun(sc, Profile.ILLUMOS, sink).run();
        List<TraceRecord> whole = sink.records();
        assertTrue(whole.stream().anyMatch(r -> r.action().equals("port_fd_callback")), "the run has a denial");
        // doctored: without the callback's record the window never opens, and the owner's
        // re-association of a queued event cannot be followed
        List<TraceRecord> doctored = whole.stream().filter(r -> !r.action().equals("port_fd_callback"))
                .collect(Collectors.toList());
        int max = sc.limits().portMaxEvents();
        List<Verdict> vs = TraceValidator.validate(List.of(
                Trace.perPort("whole", Profile.ILLUMOS, max, whole).get(0),
                Trace.perPort("doctored", Profile.ILLUMOS, max, doctored).get(0)));
        assertEquals(2, vs.size());
        Verdict w = vs.stream().filter(v -> v.id().startsWith("whole")).findFirst().orElseThrow();
        Verdict d = vs.stream().filter(v -> v.id().startsWith("doctored")).findFirst().orElseThrow();
        assertTrue(w.accepted(), w.report());
        assertFalse(d.accepted(), "a trace without the window's opening was accepted");
    }
}
