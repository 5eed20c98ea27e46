package eventports.cport;

import eventports.tracevalidation.api.ApiVerdict;
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
        assertThrows(IllegalArgumentException.class,
                () -> Divergences.fromReadme(README.replace("the return of T1", "some record")));
    }

    private static ApiVerdict accepted(String id) {
        return new ApiVerdict(id, true, 9, -1, null, null, List.of(), 20);
    }

    private static ApiVerdict rejectedAt(String id, String record) {
        return new ApiVerdict(id, false, 9, 7, record, "no behaviour explains it", List.of("queue = <<1>>"), 20);
    }

    private static final String T1_RETURNS = "{\"seq\":7,\"kind\":\"return\",\"thread\":\"T1\",\"proc\":\"P1\","
            + "\"op\":\"port_get\",\"ret\":0,\"events\":[{\"source\":3,\"events\":1,\"object\":0,\"user\":\"a\"}]}";

    private static Map<String, ApiVerdict> verdicts(ApiVerdict... vs) {
        Map<String, ApiVerdict> m = new java.util.LinkedHashMap<>();
        for (ApiVerdict v : vs) {
            m.put(v.id(), v);
        }
        return m;
    }

    @Test
    void tracesJudgedAsTheTableSaysHaveNoProblem() {
        assertEquals(List.of(), Divergences.traceProblems(verdicts(accepted("x"), rejectedAt("ring-a", T1_RETURNS),
                accepted("close-b")), Divergences.fromReadme(README)));
    }

    @Test
    void aRejectedTraceOfAPassIsCaught() {
        List<String> p = Divergences.traceProblems(verdicts(rejectedAt("x", T1_RETURNS), rejectedAt("ring-a", T1_RETURNS),
                accepted("close-b")), Divergences.fromReadme(README));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("x: trace rejected, but the table does not list it"), p.toString());
    }

    @Test
    void aDivergenceTheValidatorAcceptsOrRejectsElsewhereIsCaught() {
        Map<String, Divergences.Divergence> t = Divergences.fromReadme(README);
        List<String> p = Divergences.traceProblems(verdicts(accepted("ring-a"), accepted("close-b")), t);
        assertEquals(List.of("ring-a: trace accepted, but the table says rejected at the return of T1"), p);
        p = Divergences.traceProblems(verdicts(rejectedAt("ring-a", T1_RETURNS.replace("\"T1\"", "\"T2\"")),
                accepted("close-b")), t);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("ring-a: rejected at {"), p.toString());
        p = Divergences.traceProblems(verdicts(rejectedAt("ring-a", "{\"seq\":6,\"kind\":\"sleep\",\"thread\":\"T1\"}"),
                accepted("close-b")), t);
        assertEquals(1, p.size(), p.toString());
        p = Divergences.traceProblems(verdicts(rejectedAt("ring-a", T1_RETURNS), rejectedAt("close-b", T1_RETURNS)), t);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("close-b: trace rejected, but the table says accepted"), p.toString());
    }

    @Test
    void aDivergenceWithoutATraceIsCaught() {
        assertEquals(List.of("close-b: no API trace of the run"),
                Divergences.traceProblems(verdicts(rejectedAt("ring-a", T1_RETURNS)), Divergences.fromReadme(README)));
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
