package eventports.cport;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The divergence check has teeth: each way a run can disagree with the README's table is caught. */
class DivergencesTest {
    private static final String README = String.join("\n",
            "# x", "", Divergences.HEADING, "", "| scenario | fails at | why | API-level trace |", "|---|---|---|---|",
            "| `ring-a` | step 5 (expect_blocked) | FIFO waiters | rejected at the return of T1 |",
            "| `close-b` | step 3 (close) | real threads | accepted |", "", "## Next", "| `not-a-row` | x | y | z |", "");
    private static final String HELLO = "implementation c-port 1.0, profile illumos, blocking reported, capabilities sendn, alert";

    private static List<String> run(String... lines) {
        List<String> out = new java.util.ArrayList<>(List.of(HELLO));
        out.addAll(List.of(lines));
        return out;
    }

    private static final String FAIL_A = "FAIL ring-a [illumos]: step 5 (expect_blocked): expected T1 blocked, got runnable";
    private static final String FAIL_B = "FAIL close-b [illumos]: step 3 (close): expected {\"blocks\":true}, got ret 0";

    @Test
    void theTableIsReadUpToTheNextSection() {
        Map<String, Divergences.Divergence> t = Divergences.fromReadme(README);
        assertEquals(List.of("ring-a", "close-b"), List.copyOf(t.keySet()));
        assertTrue(t.get("ring-a").traceRejected());
        assertFalse(t.get("close-b").traceRejected());
        assertEquals("step 3 (close)", t.get("close-b").failsAt());
    }

    @Test
    void aRunThatFailsExactlyAsListedHasNoProblem() {
        assertEquals(List.of(), Divergences.problems(run("PASS x [illumos]", FAIL_A, FAIL_B,
                "SKIP y [illumos]: needs fd (step 2 (fd_open))"), Divergences.fromReadme(README)));
    }

    @Test
    void anUnlistedFailIsCaught() {
        List<String> p = Divergences.problems(run(FAIL_A, FAIL_B, "FAIL other [illumos]: step 1 (port_create): boom"),
                Divergences.fromReadme(README));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("not a listed divergence: FAIL other"), p.toString());
    }

    @Test
    void aFailAtAnotherStepIsCaught() {
        List<String> p = Divergences.problems(run(FAIL_A.replace("step 5", "step 6"), FAIL_B),
                Divergences.fromReadme(README));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("listed as failing at step 5 (expect_blocked)"), p.toString());
    }

    @Test
    void aListedScenarioThatNoLongerFailsIsStale() {
        List<String> p = Divergences.problems(run(FAIL_A, "PASS close-b [illumos]"), Divergences.fromReadme(README));
        assertEquals(List.of("stale divergence (the scenario did not fail): close-b"), p);
    }

    @Test
    void aSkipForADeclaredCapabilityAndARunnerErrorAreCaught() {
        List<String> p = Divergences.problems(run(FAIL_A, FAIL_B, "SKIP y [illumos]: needs alert (step 3 (port_alert))",
                "ERROR ./run: exited"), Divergences.fromReadme(README));
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("skipped for a capability c-port declares"), p.toString());
        assertTrue(p.get(1).startsWith("ERROR"), p.toString());
    }

    @Test
    void aMalformedTableIsRefusedWithTheRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Divergences.fromReadme(README.replace("step 5 (expect_blocked)", "somewhere")));
        assertTrue(e.getMessage().contains("ring-a"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Divergences.fromReadme("# no table\n"));
        assertThrows(IllegalArgumentException.class,
                () -> Divergences.fromReadme(README.replace("| accepted |", "| fine |")));
    }

    @Test
    void theRealReadmeListsEachDivergenceWithAReason() throws IOException {
        Map<String, Divergences.Divergence> t = Divergences.fromReadme(Files.readString(Path.of("README.md")));
        assertFalse(t.isEmpty());
        for (Divergences.Divergence d : t.values()) {
            assertTrue(d.why().length() > 20, "a reason for " + d.scenario());
            assertTrue(Files.exists(CPortCorpusTest.CORPUS.resolve(d.scenario() + ".json")),
                    d.scenario() + " is a scenario of the corpus");
        }
    }
}
