package eventports.modelcheck;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event-order reduction (EventPort's AllocInOrder / SendInOrder: sources allocate and send
 * their events in id order) against runs without it (MCEventPort's AnyOrder): on the models with
 * more than one event the corrected profile is still green, and every finding found there
 * still comes back when exactly its fix is left out, with the same property (spec/README.md,
 * "Event order"). FifoInv is left out of these runs: it compares ids, which is send order only
 * under the reduction. Invariants only, to stay quick; the models with one event are not run
 * (there the reduction is the identity).
 */
class EventOrderReductionTest {
    private static final List<String> ANY_ORDER = List.of("AllocInOrder <- AnyOrder", "SendInOrder <- AnyOrder");

    private static boolean manyEvents(String model) {
        return CfgWriter.MODELS.stream().anyMatch(m -> m.name().equals(model) && m.numEvents() > 1);
    }

    static Stream<Findings.Finding> findings() {
        return Findings.ALL.stream().filter(f -> manyEvents(f.model()) && !f.property().equals("FifoInv"));
    }

    @ParameterizedTest(name = "{0} without fix {1}, events in any order")
    @MethodSource("findings")
    void eachFindingIsFoundWithoutTheReduction(Findings.Finding f) throws Exception {
        RunRequest r = Tlc.withoutFix(f);
        r.invariantsOnly = true;
        r.overrides.addAll(ANY_ORDER);
        ChildRun.Outcome o = Tlc.run(r);
        assertEquals(f.property(), o.result.violated, f.id() + " without the event-order reduction:\n" + o.text());
    }

    /**
     * The models: in {@code mvn verify}, poll (the shortest of them); with {@code -Pfindings}
     * also small, fd and share (36 s more).
     */
    static Stream<String> greenModels() {
        return Boolean.getBoolean("eventports.findings.full")
                ? Stream.of("small", "fd", "poll", "share") : Stream.of("poll");
    }

    @ParameterizedTest(name = "corrected profile, model {0}, events in any order")
    @MethodSource("greenModels")
    void theCorrectedProfileIsGreenWithoutTheReduction(String model) throws Exception {
        assertTrue(manyEvents(model), model + " has one event: the reduction changes nothing there");
        RunRequest r = Tlc.request(model, "corrected");
        r.invariantsOnly = true;
        r.overrides.addAll(ANY_ORDER);
        r.only.addAll(invariantsBut("FifoInv"));
        ChildRun.Outcome o = Tlc.run(r);
        assertEquals(RunResult.Verdict.OK, o.result.verdict, model + " without the event-order reduction:\n" + o.text());
    }

    private static List<String> invariantsBut(String left) throws Exception {
        String spec = java.nio.file.Files.readString(Tlc.MODULE_DIR.resolve("../spec/EventPort.tla"));
        List<String> out = new ArrayList<>(CfgWriter.operators(spec, "Inv"));
        out.remove(left);
        return out;
    }
}
