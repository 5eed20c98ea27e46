package eventports.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import eventports.kernel.Fix;
import org.junit.jupiter.api.Test;

/**
 * One fix, four places (CONTRIBUTING.md, "a new spec action"): the spec's fix flags
 * (EventPort.tla {@code AllFixes}), the findings that name them ({@link Findings}, from which
 * {@link Models#ALL_FIXES} is made), and the core's {@link Fix} enum, which has every flag
 * except the ones the illumos profile itself applies ({@link RunRequest#ILLUMOS_FIXES}).
 */
class FixCatalogueTest {
    /** The quoted flags between {@code AllFixes == {} and its closing brace. */
    static Set<String> specFixes() throws IOException {
        String spec = Files.readString(Tlc.MODULE_DIR.resolve("../spec/EventPort.tla"));
        int from = spec.indexOf("AllFixes ==");
        assertTrue(from >= 0, "EventPort.tla defines no AllFixes");
        String block = spec.substring(from, spec.indexOf('}', from));
        Set<String> flags = new TreeSet<>();
        Matcher m = Pattern.compile("\"(\\w+)\"").matcher(block.replaceAll("\\\\\\*[^\n]*", ""));
        while (m.find()) flags.add(m.group(1));
        return flags;
    }

    /** NULL_HEAD -> NullHead. */
    private static String flag(Fix f) {
        return Arrays.stream(f.name().split("_"))
                .map(w -> w.charAt(0) + w.substring(1).toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining());
    }

    @Test
    void fixFlagsOfTheSpecAreTheCatalogue() throws IOException {
        assertEquals(specFixes(), Models.ALL_FIXES,
                "EventPort.tla's AllFixes and the findings' fixes (Findings.ALL) differ");
    }

    @Test
    void everyFixOfTheCoreIsAFlagOfTheSpec() throws IOException {
        Set<String> want = new TreeSet<>(specFixes());
        want.removeAll(RunRequest.ILLUMOS_FIXES);
        Set<String> have = Arrays.stream(Fix.values()).map(FixCatalogueTest::flag)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(want, have, "eventports.kernel.Fix and EventPort.tla's AllFixes (less the illumos profile's "
                + RunRequest.ILLUMOS_FIXES + ") differ");
    }
}
