package eventports.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** The cfg a run writes: profile, fixes, narrowed properties, overrides. */
class ModelsTest {
    private static final String CFG = String.join("\n",
            "CONSTANTS", "    Profile = \"corrected\"", "    Fixes = {}", "SPECIFICATION Spec",
            "INVARIANTS", "    TypeOKInv", "    FifoInv", "PROPERTIES", "    CloseTerminatesProp", "");

    @Test
    void illumosGetsCurrentIllumosFixesByDefault() {
        RunRequest r = new RunRequest();
        r.profile = "illumos";
        String out = Models.deriveCfg(CFG, r);
        assertTrue(out.contains("Profile = \"illumos\""), out);
        assertTrue(out.contains("Fixes = {\"GetEtime\"}"), out);
    }

    @Test
    void onlyNarrowsInvariantsAndProperties() {
        RunRequest r = new RunRequest();
        r.only.add("FifoInv");
        r.overrides.add("W2Wake <- MutW2Wake");
        String out = Models.deriveCfg(CFG, r);
        assertTrue(out.contains("INVARIANT FifoInv"), out);
        assertFalse(out.contains("TypeOKInv"), out);
        assertFalse(out.contains("CloseTerminatesProp"), out);
        assertTrue(out.contains("W2Wake <- MutW2Wake"), out);
    }

    @Test
    void traceShowsOnlyTheChangedEntriesOfAFunction() {
        assertEquals("[t2 :> TRUE]",
                TraceFormatter.changedEntries("(t1 :> FALSE @@ t2 :> FALSE)", "(t1 :> FALSE @@ t2 :> TRUE)"));
        assertEquals("<<1, 2>>", TraceFormatter.changedEntries("<<1>>", "<<1, 2>>"));
    }

    @Test
    void resultLineRoundTrips() {
        RunResult r = new RunResult();
        r.model = "small"; r.profile = "illumos"; r.fixes = "GetEtime";
        r.states = 10; r.distinct = 7; r.depth = 3; r.seconds = 1.5; r.exitCode = 12;
        r.verdict = RunResult.Verdict.INVARIANT; r.violated = "FifoInv";
        RunResult p = RunResult.parse(r.resultLine());
        assertEquals(r.resultLine(), p.resultLine());
        assertEquals(Set.of("GetEtime"), Set.of(p.fixes));
    }
}
