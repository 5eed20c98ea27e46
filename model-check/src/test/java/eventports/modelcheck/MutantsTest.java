package eventports.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Teeth: each mutant in model-check/mutants/ replaces one operator of the
 * spec (its header says which, on which model, and what TLC must report);
 * in the corrected profile TLC must report exactly that violation.
 */
class MutantsTest {
    private static final Pattern HEADER = Pattern.compile("\\\\\\* (model|expect|override): (.*)");

    static Stream<Path> mutants() throws Exception {
        List<Path> l = Files.list(Tlc.MODULE_DIR.resolve("mutants"))
                .filter(p -> p.toString().endsWith(".tla")).sorted().toList();
        assertTrue(l.size() >= 5, "at least five mutants");
        return l.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void mutantIsCaught(Path mutant) throws Exception {
        String model = null, expect = null, override = null;
        for (String line : Files.readAllLines(mutant)) {
            Matcher m = HEADER.matcher(line.trim());
            if (!m.matches()) continue;
            switch (m.group(1)) {
                case "model": model = m.group(2).trim(); break;
                case "expect": expect = m.group(2).trim(); break;
                default: override = m.group(2).trim(); break;
            }
        }
        assertTrue(model != null && expect != null && override != null, mutant + ": header needs model/expect/override");
        RunRequest r = Tlc.request(model, "corrected");
        String name = mutant.getFileName().toString().replace(".tla", "");
        r.module = name;
        r.extraFiles.add(mutant.toString());
        r.overrides.add(override);
        // Spec, not the cfgs' FoldedSpec: a cfg override (X <- MutX) replaces X where the actions
        // use it, not where the folded chain evaluates it at a state record (At(S)!X)
        r.unfolded = true;
        r.only.add(expect);   // every other property stays checked by ProfilesTest on the unmutated spec
        ChildRun.Outcome o = Tlc.run(r);
        assertEquals(expect, o.result.violated, name + " must be caught by " + expect + ":\n" + o.text());
    }
}
