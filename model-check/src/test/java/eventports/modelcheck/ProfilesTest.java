package eventports.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The small models in both profiles (issue 3): the corrected profile
 * satisfies every invariant and property; the illumos profile violates the
 * known findings, each one caught when exactly its fix is left out.
 */
class ProfilesTest {

    @ParameterizedTest(name = "corrected profile, model {0}: every property holds")
    @ValueSource(strings = {"small", "close", "ring", "fd", "poll", "layer", "alert", "window", "smallnull", "ringnull"})
    void correctedProfileIsGreen(String model) throws Exception {
        RunRequest r = Tlc.request(model, "corrected");
        // The temporal properties of the small model take minutes on a busy
        // 2-core machine; NoHangInv checks the same hangs as a state predicate
        // there. close and ring are checked with every property.
        r.invariantsOnly = model.equals("small");
        ChildRun.Outcome o = Tlc.run(r);
        assertEquals(RunResult.Verdict.OK, o.result.verdict,
                "corrected profile must satisfy every property on model " + model + ":\n" + o.text());
        // The cfgs check the folded relation, which stores only the states with portq_mutex
        // free: about half of Spec's (close 958 of 1,936, alert 638 of 1,794).
        // (window: one retriever beside one FD association, 118 folded states; ringnull: ring's
        // waiters without deadlines, 392)
        assertTrue(o.result.distinct > (model.equals("window") ? 100 : model.equals("ringnull") ? 300 : 500),
                "suspiciously small state space: " + o.result.resultLine());
    }

    @ParameterizedTest(name = "illumos profile as coded, model {0}: a known finding is reported")
    @ValueSource(strings = {"small", "close", "poll", "window"})
    void illumosProfileViolatesAKnownFinding(String model) throws Exception {
        RunRequest r = Tlc.request(model, "illumos");
        r.invariantsOnly = true;   // every hang is also a NoHangInv violation
        ChildRun.Outcome o = Tlc.run(r);
        Set<String> known = new TreeSet<>();
        Findings.ALL.forEach(f -> {
            known.add(f.property());
            known.addAll(f.also());
        });
        assertTrue(o.result.verdict == RunResult.Verdict.INVARIANT || o.result.verdict == RunResult.Verdict.PROPERTY,
                "the illumos profile must violate a property:\n" + o.result.resultLine());
        assertTrue(o.result.verdict == RunResult.Verdict.PROPERTY || known.contains(o.result.violated),
                o.result.violated + " is not among the known findings " + known + ":\n" + o.text());
    }

    static Stream<Findings.Finding> findings() { return Findings.ALL.stream(); }

    /** Every fix is necessary: without it, its finding comes back. */
    @ParameterizedTest(name = "{0} without fix {1}")
    @MethodSource("findings")
    void eachFindingReappearsWithoutItsFix(Findings.Finding f) throws Exception {
        RunRequest r = Tlc.withoutFix(f);
        ChildRun.Outcome o = Tlc.run(r);
        assertEquals(f.property(), o.result.violated,
                f.id() + " (" + f.title() + ") should violate " + f.property() + " on model " + f.model()
                        + " when fix " + f.fix() + " is left out:\n" + o.text());
        assertTrue(!o.result.trace.isEmpty(), "a counterexample is printed");
    }
}
