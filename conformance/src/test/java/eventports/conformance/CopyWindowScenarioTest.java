package eventports.conformance;

import eventports.kernel.Profile;
import eventports.trace.MemorySink;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * F14 (model-check/FINDINGS.md) in the illumos profile: the owner's re-association inside
 * port_copy_event's window links one kevent into the port queue and the temp list. Its scenario
 * lives outside the corpus, because the trace spec keeps a denial as one step (CopyWindow is off
 * in TraceEventPort: the core takes no record where the window opens), so it cannot follow this
 * run; the corrected scenario is in the corpus and validates.
 */
class CopyWindowScenarioTest {
    static final Path ILLUMOS = Path.of("src/test/resources/window/finding-f14-reassociate-in-copy-window-illumos.json");

    @Test
    void theIllumosCoreLinksTheKeventTwice() throws Exception {
        ScenarioRun.Verdict v = new ScenarioRun(Scenario.parse(ILLUMOS), Profile.ILLUMOS, new MemorySink()).run();
        assertTrue(v.passed(), "F14's illumos scenario: " + v.failure());
    }

    /** Teeth: with fix CopyDoneq the re-association waits for the retriever, so the same steps fail. */
    @Test
    void theCorrectedCoreDoesNotFollowTheIllumosScenario() throws Exception {
        ScenarioRun.Verdict v = new ScenarioRun(Scenario.parse(ILLUMOS), Profile.CORRECTED, new MemorySink()).run();
        assertFalse(v.passed(), "the corrected core followed F14's illumos scenario");
    }

    /** What is left (spec/README.md, "The window of port_copy_event"): the trace spec cannot follow the window yet. */
    @Test
    void theTraceSpecWithoutTheWindowRejectsTheIllumosTrace() throws Exception {
        Scenario sc = Scenario.parse(ILLUMOS);
        MemorySink sink = new MemorySink();
        new ScenarioRun(sc, Profile.ILLUMOS, sink).run();
        List<Trace> traces = Trace.perPort("f14", Profile.ILLUMOS, sc.limits().portMaxEvents(), sink.records());
        List<Verdict> vs = TraceValidator.validate(traces);
        assertFalse(vs.isEmpty());
        assertTrue(vs.stream().anyMatch(x -> !x.accepted()), "the trace spec followed the window; turn CopyWindow on"
                + " in TraceEventPort and move the scenario into the corpus");
    }
}
