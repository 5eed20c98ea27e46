package eventports.mutation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MutationReportTest {
    @TempDir
    Path dir;

    private static String mutation(String status, String cls, int line, String mutator, String desc) {
        return mutation(status, cls, line, 0, mutator, desc);
    }

    private static String mutation(String status, String cls, int line, int index, String mutator, String desc) {
        return "<mutation detected='" + !status.equals("SURVIVED") + "' status='" + status + "' numberOfTestsRun='1'>"
                + "<sourceFile>X.java</sourceFile><mutatedClass>" + cls + "</mutatedClass><mutatedMethod>m</mutatedMethod>"
                + "<methodDescription>()V</methodDescription><lineNumber>" + line + "</lineNumber>"
                + "<mutator>org.pitest.mutationtest.engine.gregor.mutators." + mutator + "</mutator>"
                + "<indexes><index>" + index + "</index></indexes>"
                + "<description>" + desc + "</description></mutation>\n";
    }

    private Path xml() throws Exception {
        String x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mutations>\n"
                + mutation("KILLED", "eventports.kernel.PortQueue", 10, "VoidMethodCallMutator", "removed call to a")
                + mutation("TIMED_OUT", "eventports.kernel.PortQueue", 11, "MathMutator", "Replaced integer addition")
                + mutation("SURVIVED", "eventports.kernel.PortQueue", 12, "VoidMethodCallMutator", "removed call to b")
                + mutation("SURVIVED", "eventports.sched.DetSched", 40, "NegateConditionalsMutator", "negated conditional")
                + mutation("NO_COVERAGE", "eventports.kernel.PortGetn", 7, "VoidMethodCallMutator", "removed call to c")
                + "</mutations>\n";
        Path p = dir.resolve("mutations.xml");
        Files.writeString(p, x);
        return p;
    }

    /** What MutationReport prints for {@code s} (without sources). */
    private static String printed(MutationReport.Score s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        MutationReport.print(s, new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    private Path equivalents(String... lines) throws Exception {
        Path p = dir.resolve("eq.txt");
        Files.write(p, List.of(lines));
        return p;
    }

    @Test
    void timeoutsAreKilledSurvivorsAreNotAndUncoveredIsNotScored() throws Exception {
        var s = MutationReport.score(MutationReport.readMutations(xml()), List.of());
        assertEquals(2, s.killed());
        assertEquals(4, s.covered());
        assertEquals("mutation score: 2 of 4 covered mutants killed (50.0 %)", s.line());
        assertEquals(1, s.uncovered().size());
    }

    @Test
    void anEquivalentLeavesTheScoreAndTheSurvivorList() throws Exception {
        var eq = MutationReport.readEquivalents(equivalents("# comment",
                "DetSched:40 | NegateConditionalsMutator | negated | both branches do the same"));
        var s = MutationReport.score(MutationReport.readMutations(xml()), eq);
        assertEquals("mutation score: 2 of 3 covered mutants killed (66.7 %)", s.line());
        assertEquals(1, s.equivalent());
        String out = printed(s);
        assertTrue(out.contains("PortQueue:12 | VoidMethodCallMutator | removed call to b"), out);
        assertTrue(!out.contains("DetSched:40"), out);
        assertTrue(out.contains("PortGetn:7"), "uncovered lines are listed: " + out);
    }

    @Test
    void aStaleOrKilledEquivalentIsAnError() throws Exception {
        var ms = MutationReport.readMutations(xml());
        var stale = MutationReport.readEquivalents(equivalents("PortQueue:99 | VoidMethodCallMutator | x | gone"));
        assertTrue(assertThrows(IllegalStateException.class, () -> MutationReport.score(ms, stale)).getMessage()
                .contains("matches no mutant"));
        var killed = MutationReport.readEquivalents(equivalents("PortQueue:10 | VoidMethodCallMutator | a | wrong"));
        assertTrue(assertThrows(IllegalStateException.class, () -> MutationReport.score(ms, killed)).getMessage()
                .contains("killed"));
    }

    @Test
    void anEquivalentThatOnlyTimedOutStaysEquivalentAndIsListed() throws Exception {
        var eq = MutationReport.readEquivalents(equivalents(
                "PortQueue:11 | MathMutator | Replaced integer addition | the sum is never read"));
        var s = MutationReport.score(MutationReport.readMutations(xml()), eq);
        assertEquals("mutation score: 1 of 3 covered mutants killed (33.3 %)", s.line());
        assertEquals(1, s.equivalent());
        String out = printed(s);
        assertTrue(out.contains("timed out in this run") && out.contains("PortQueue:11 | MathMutator"), out);
    }

    @Test
    void survivorsOnLinesThatNameTheTracerAreCountedApart() throws Exception {
        var s = MutationReport.score(MutationReport.readMutations(xml()), List.of());
        var src = java.util.Map.of("eventports/kernel/PortQueue.java",
                java.util.Collections.nCopies(11, "x++;"), "eventports/sched/DetSched.java",
                java.util.Collections.nCopies(40, "if (pp.sys.tracer != null) {"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        MutationReport.print(s, src, new PrintStream(b, true, StandardCharsets.UTF_8));
        String out = b.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("1 of the 2 survivors are in tracing code"), out);
        assertTrue(out.contains("score outside tracing code: 2 of 3 covered mutants killed (66.7 %)"), out);
    }

    /** A line inside a block the tracer guards is tracing code; the same line outside it is not. */
    @Test
    void aLineInsideATracerGuardedBlockIsTracingCode() {
        List<String> src = List.of(
                "    static void f(Port pp) {",
                "        if (pp.sys.tracer != null) {",
                "            if (x != 0) {",
                "                y = 1;",
                "            }",
                "            z(x != 0);",
                "        }",
                "        if (x != 0) {",
                "            y = 2;",
                "        }",
                "    }");
        var sources = java.util.Map.of("eventports/kernel/PortGetn.java", src);
        java.util.function.IntPredicate tracing = line -> MutationReport.tracing(new MutationReport.Mutant(
                "eventports.kernel.PortGetn", "f", line, "NegateConditionalsMutator", "negated conditional", "SURVIVED", 0), sources);
        assertTrue(tracing.test(3) && tracing.test(4) && tracing.test(6), "inside the guard");
        assertTrue(!tracing.test(8) && !tracing.test(9), "after the guard");
    }

    /** Two negated conditionals on one line, the later one (in bytecode) killed: /1 names the survivor alone. */
    @Test
    void aTwinOnTheSameLineIsNamedByItsPlace() throws Exception {
        Path p = dir.resolve("twins.xml");
        Files.writeString(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mutations>\n"
                + mutation("KILLED", "eventports.kernel.Fio", 71, 30, "NegateConditionalsMutator", "negated conditional")
                + mutation("SURVIVED", "eventports.kernel.Fio", 71, 12, "NegateConditionalsMutator", "negated conditional")
                + "</mutations>\n");
        var ms = MutationReport.readMutations(p);
        var whole = MutationReport.readEquivalents(equivalents("Fio:71 | NegateConditionalsMutator | negated | x"));
        assertTrue(assertThrows(IllegalStateException.class, () -> MutationReport.score(ms, whole)).getMessage()
                .contains("killed"), "without /n the entry names the killed twin too");
        var first = MutationReport.score(ms, MutationReport.readEquivalents(
                equivalents("Fio:71/1 | NegateConditionalsMutator | negated | the earlier test is decided already")));
        assertEquals(1, first.equivalent());
        assertEquals("mutation score: 1 of 1 covered mutants killed (100.0 %)", first.line());
        var second = MutationReport.readEquivalents(equivalents("Fio:71/2 | NegateConditionalsMutator | negated | x"));
        assertTrue(assertThrows(IllegalStateException.class, () -> MutationReport.score(ms, second)).getMessage()
                .contains("killed"), "/2 is the killed one");
        var third = MutationReport.readEquivalents(equivalents("Fio:71/3 | NegateConditionalsMutator | negated | x"));
        assertTrue(assertThrows(IllegalStateException.class, () -> MutationReport.score(ms, third)).getMessage()
                .contains("matches no mutant"));
    }

    @Test
    void aMalformedEquivalentNamesItsLine() throws Exception {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MutationReport.readEquivalents(equivalents("# c", "PortQueue:12 | VoidMethodCallMutator | no reason")));
        assertTrue(e.getMessage().contains("eq.txt:2"), e.getMessage());
    }
}
