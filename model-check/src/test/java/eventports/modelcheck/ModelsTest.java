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

    /** Which JIT a child keeps (ChildRun.c1Only): C1 exactly for seconds-long runs without a temporal property. */
    @Test
    void onlyShortRunsWithoutATemporalPropertyKeepToC1() throws Exception {
        RunRequest r = new RunRequest();
        r.model = "close";
        assertTrue(Models.checksProperties(r));
        assertFalse(ChildRun.c1Only(r, "auto"), "close checks its temporal properties");
        r.invariantsOnly = true;
        assertFalse(Models.checksProperties(r));
        assertTrue(ChildRun.c1Only(r, "auto"));
        RunRequest only = new RunRequest();
        only.model = "close";
        only.only.add("NoHangInv");
        assertTrue(ChildRun.c1Only(only, "auto"), "--only an invariant drops the properties");
        RunRequest large = new RunRequest();
        large.model = "large";
        large.invariantsOnly = true;
        assertFalse(ChildRun.c1Only(large, "auto"), "the large model runs for hours");
        RunRequest bad = new RunRequest();
        bad.model = "nosuch";
        assertFalse(ChildRun.c1Only(bad, "auto"));
        assertTrue(ChildRun.c1Only(large, "c1"), "-Deventports.tlc.jit=c1 forces C1");
        assertFalse(ChildRun.c1Only(only, "c2"), "-Deventports.tlc.jit=c2 forces C2");
        assertTrue(ChildRun.c1Only(large, "C1"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ChildRun.c1Only(only, "fast"));
        assertTrue(e.getMessage().contains("c1, c2 or auto"), e.getMessage());
    }
}
