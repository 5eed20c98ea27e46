package eventports.modelcheck;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FINDINGS.md's "stock illumos" column is TLC's verdict, kept true by this test (issue 13):
 * for each finding, TLC checks its property with the descriptor layer on (FdLayer = TRUE) and
 * every fix but its own (illumos profile, as ProfilesTest leaves it out without the layer).
 * A cell reads "violated on `M` (N distinct states, ...)": TLC, with one worker (so that the
 * search order is the same on every run), must report that property on model M after exactly
 * N distinct states; and/or "holds on `M1` (N1), `M2` (N2), ...": on each listed model the search
 * must complete with no violation and exactly Ni distinct states (a complete search's count does
 * not depend on the workers). The table must name every finding of {@link Findings#ALL}.
 *
 * <p>{@code mvn verify} checks each violated row on its model and each "holds" row on the
 * models where a close races with the closer's own threads ({@code close}, {@code layer});
 * {@code -Pfindings} (the property {@code eventports.findings.full}) checks every model the
 * table lists, the default model included (long: its row says how long).
 */
class FindingsReachabilityTest {
    /** The models "holds" rows are checked on in a normal build; every listed model with -Pfindings. */
    static final List<String> QUICK_HOLDS = List.of("close", "layer");

    private static final Pattern ROW = Pattern.compile("^\\| (F\\d+) \\|[^|]*\\|[^|]*\\| (.*?) \\| (\\w+) \\|\\s*$");
    private static final Pattern VIOLATED = Pattern.compile("^violated on `(\\w+)` \\(([\\d,]+) distinct states");
    private static final Pattern HOLDS = Pattern.compile("holds on ((?:`\\w+` \\([\\d,]+\\)(?:, )?)+)");
    private static final Pattern MODEL_COUNT = Pattern.compile("`(\\w+)` \\(([\\d,]+)\\)");

    /** One check: finding, its fix and property, the model, whether TLC finds a violation, and the distinct states. */
    record Check(String id, String fix, String property, String model, boolean violated, long distinct) {
        @Override
        public String toString() {
            return id + " on " + model + (violated ? ": violated (" : ": holds (") + distinct + ")";
        }
    }

    private static long count(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    /** The rows of the summary table: id -> the "stock illumos" cell. */
    static Map<String, String> cells() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Tlc.MODULE_DIR.resolve("FINDINGS.md"))) {
            Matcher r = ROW.matcher(line);
            if (r.matches()) {
                m.put(r.group(1), r.group(2));
            }
        }
        return m;
    }

    static List<Check> checks(boolean full) throws IOException {
        Map<String, String> cells = cells();
        List<Check> out = new ArrayList<>();
        for (Findings.Finding f : Findings.ALL) {
            String cell = cells.get(f.id());
            if (cell == null) {
                throw new AssertionError("FINDINGS.md's table has no row for " + f.id());
            }
            Matcher v = VIOLATED.matcher(cell);
            Matcher h = HOLDS.matcher(cell);
            boolean violated = v.find();
            boolean holds = h.find();
            if (!violated && !holds) {
                throw new AssertionError(f.id() + ": the stock-illumos cell is neither \"violated on `M` (N distinct"
                        + " states...\" nor \"holds on `M` (N), ...\": " + cell);
            }
            if (violated) {
                out.add(new Check(f.id(), f.fix(), f.property(), v.group(1), true, count(v.group(2))));
            }
            if (holds) {
                Matcher mc = MODEL_COUNT.matcher(h.group(1));
                while (mc.find()) {
                    if (full || QUICK_HOLDS.contains(mc.group(1))) {
                        out.add(new Check(f.id(), f.fix(), f.property(), mc.group(1), false, count(mc.group(2))));
                    }
                }
            }
        }
        return out;
    }

    static Stream<Check> table() throws IOException {
        return checks(Boolean.getBoolean("eventports.findings.full")).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void theTableIsTlcsVerdictWithTheDescriptorLayer(Check c) throws Exception {
        RunRequest r = Tlc.request(c.model(), "illumos");
        r.layer = "descriptors";
        r.unfolded = true;      // the table's counts and counterexamples are those of EventPort's own Spec
        r.fixes = new TreeSet<>(Models.ALL_FIXES);
        r.fixes.remove(c.fix());
        r.only.add(c.property());
        r.invariantsOnly = true;
        r.timeoutSeconds = Boolean.getBoolean("eventports.findings.full") ? 0 : 300;
        if (c.violated()) {
            r.workers = 1;      // the breadth-first order, and so the count at the violation, is then fixed
        }
        ChildRun.Outcome o = Tlc.run(r);
        if (c.violated()) {
            assertEquals(c.property(), o.result.violated, c + " per FINDINGS.md, but TLC says:\n" + o.text());
            assertFalse(o.result.trace.isEmpty(), "a counterexample is printed");
        } else {
            assertEquals(RunResult.Verdict.OK, o.result.verdict, c + " per FINDINGS.md, but TLC says:\n" + o.text());
        }
        assertEquals(c.distinct(), o.result.distinct, c + ": the table's state count is out of date: "
                + o.result.resultLine());
    }

    /** The table covers every finding, and a normal build checks every finding at least once. */
    @org.junit.jupiter.api.Test
    void everyFindingHasAVerdictAndIsChecked() throws IOException {
        List<Check> quick = checks(false);
        assertEquals(Findings.ALL.stream().map(Findings.Finding::id).collect(Collectors.toSet()),
                quick.stream().map(Check::id).collect(Collectors.toSet()));
        assertTrue(checks(true).size() > quick.size(), "the full table lists more models than the quick check");
    }
}
