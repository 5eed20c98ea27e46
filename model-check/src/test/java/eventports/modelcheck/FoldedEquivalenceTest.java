package eventports.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The folded relation (spec/FoldedEventPort.tla) loses nothing and adds nothing: on each
 * model, the states FoldedSpec reaches are exactly the states of Spec in which portq_mutex
 * is free, plus those where a holder panicked (TLC's -dump of both, compared as sets).
 * Its teeth: a fold that forgets one update of one link (portq_nget in port_queue_thread)
 * is told apart.
 */
class FoldedEquivalenceTest {

    /** The distinct states of a run, each as TLC prints it (the "/\ var = value" lines). */
    static Set<String> states(Path dump) throws Exception {
        Set<String> out = new HashSet<>();
        StringBuilder cur = null;
        for (String line : Files.readAllLines(dump)) {
            if (line.matches("^State \\d+:.*")) {
                if (cur != null) out.add(cur.toString());
                cur = new StringBuilder();
            } else if (cur != null && !line.isBlank()) {
                // TLC prints an empty sequence as << >> or <<>> depending on how it was built
                cur.append(line.replace("<< >>", "<<>>")).append('\n');
            }
        }
        if (cur != null) out.add(cur.toString());
        return out;
    }

    /** A broken fold: port_queue_thread's link leaves portq_nget as it was. */
    static final String BROKEN_FOLD = String.join("\n",
            "---- MODULE BrokenFold ----",
            "EXTENDS MCEventPort",
            "MutQueueF(t, S) ==",
            "    LET r1 == InsertAt(S.ring, At(S)!InsertPos(S.ring, S.th[t].nget), t)",
            "        wl == At(S)!WaitLoop(t, S.th[t])",
            "    IN [S EXCEPT !.ring = r1, !.th = [S.th EXCEPT ![t] = wl[1]], !.mutex = wl[2]]",
            "====", "");

    static Set<String> reached(String model, boolean unfolded, String override) throws Exception {
        Path dir = Files.createTempDirectory("eventports-fold-");
        RunRequest r = Tlc.request(model, "corrected");
        r.invariantsOnly = true;
        r.unfolded = unfolded;
        r.dump = dir.resolve(unfolded ? "spec" : "folded").toString();
        if (override != null) {
            Path m = dir.resolve("BrokenFold.tla");
            Files.writeString(m, BROKEN_FOLD);
            r.module = "BrokenFold";
            r.extraFiles.add(m.toString());
            r.overrides.add(override);
        }
        ChildRun.Outcome o = Tlc.run(r);
        // a broken fold may also break an invariant: then its states are not all there
        if (override == null) assertEquals(RunResult.Verdict.OK, o.result.verdict, o.text());
        else assertNotEquals(RunResult.Verdict.ERROR, o.result.verdict, "the override applies:\n" + o.text());
        Set<String> s = states(Path.of(r.dump + ".dump"));
        if (override == null) assertEquals(o.result.distinct, s.size(), "the dump holds every distinct state");
        ChildRun.deleteTree(dir);
        return s;
    }

    static Set<String> mutexFree(Set<String> states) {
        Set<String> free = new HashSet<>();
        for (String s : states) if (s.contains("/\\ mutex = NoThread\n") || s.contains("/\\ panic = TRUE\n")) free.add(s);
        return free;
    }

    /**
     * The models compared: in {@code mvn verify}, close (the close protocol) and window (F14's
     * copy window); with {@code -Pfindings} also ring, layer and alert (35 s more).
     */
    static Stream<String> models() {
        return Boolean.getBoolean("eventports.findings.full")
                ? Stream.of("close", "ring", "layer", "alert", "window") : Stream.of("close", "window");
    }

    @ParameterizedTest(name = "model {0}: FoldedSpec reaches exactly Spec's states with the mutex free")
    @MethodSource("models")
    void foldedReachesTheMutexFreeStates(String model) throws Exception {
        Set<String> spec = reached(model, true, null);
        Set<String> folded = reached(model, false, null);
        Set<String> free = mutexFree(spec);
        assertTrue(free.size() < spec.size(), "the model has critical sections to fold");
        Set<String> missing = new HashSet<>(free);
        missing.removeAll(folded);
        Set<String> extra = new HashSet<>(folded);
        extra.removeAll(free);
        assertTrue(missing.isEmpty() && extra.isEmpty(), model + ": " + missing.size() + " states of Spec not reached, "
                + extra.size() + " states Spec does not reach; e.g.\n"
                + missing.stream().findFirst().orElse(extra.stream().findFirst().orElse("")));
    }

    @Test
    void aBrokenFoldIsToldApart() throws Exception {
        Set<String> free = mutexFree(reached("ring", true, null));
        Set<String> broken = reached("ring", false, "QueueF <- MutQueueF");
        assertNotEquals(free, broken, "a fold whose port_queue_thread link forgets portq_nget must differ");
    }
}
