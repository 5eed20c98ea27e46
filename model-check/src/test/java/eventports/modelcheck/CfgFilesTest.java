package eventports.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The checklist "a new property" (CONTRIBUTING.md) cannot be half done: every invariant
 * ({@code *Inv}) of spec/EventPort.tla is checked by every model, every temporal property
 * ({@code *Prop}) by every model that checks liveness, every model has its definitions in
 * MCEventPort.tla, and the checked-in cfgs are exactly what {@link CfgWriter} writes.
 */
class CfgFilesTest {
    private static final String REGENERATE = "regenerate the cfgs from the repository root: mvn -B -o -q compile"
            + " -pl model-check && java -cp model-check/target/classes eventports.modelcheck.CfgWriter";

    private static String spec() throws IOException {
        return Files.readString(Tlc.MODULE_DIR.resolve("../spec/EventPort.tla"));
    }

    private static String cfg(CfgWriter.Model m) throws IOException {
        return Files.readString(Tlc.MODULE_DIR.resolve(m.file()));
    }

    /** The names a cfg lists under {@code keyword} (INVARIANTS, PROPERTIES), one a line. */
    private static Set<String> section(String cfg, String keyword) {
        Set<String> names = new TreeSet<>();
        boolean in = false;
        for (String line : cfg.split("\n")) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("\\*")) continue;
            if (t.matches("[A-Z_]+")) {
                in = t.equals(keyword);
                continue;
            }
            if (in) names.add(t);
        }
        return names;
    }

    @Test
    void everyInvariantOfTheSpecIsCheckedByEveryModel() throws IOException {
        List<String> invariants = CfgWriter.operators(spec(), "Inv");
        assertTrue(invariants.size() >= 20, "found only " + invariants + " in EventPort.tla");
        for (CfgWriter.Model m : CfgWriter.MODELS) {
            List<String> missing = new ArrayList<>(invariants);
            missing.removeAll(section(cfg(m), "INVARIANTS"));
            assertTrue(missing.isEmpty(), m.file() + " does not check " + missing + "; " + REGENERATE);
        }
    }

    @Test
    void everyTemporalPropertyIsCheckedByEveryModelThatChecksLiveness() throws IOException {
        List<String> properties = CfgWriter.operators(spec(), "Prop");
        assertTrue(properties.size() >= 3, "found only " + properties + " in EventPort.tla");
        for (CfgWriter.Model m : CfgWriter.MODELS) {
            String cfg = cfg(m);
            if (m.noProperties() != null) {
                assertTrue(cfg.contains("\\* No PROPERTIES: "), m.file() + " checks no property and must say why");
                continue;
            }
            List<String> missing = new ArrayList<>(properties);
            missing.removeAll(section(cfg, "PROPERTIES"));
            assertTrue(missing.isEmpty(), m.file() + " does not check " + missing + "; " + REGENERATE);
        }
    }

    @Test
    void everyCfgIsWhatCfgWriterWrites() throws IOException {
        String spec = spec();
        for (CfgWriter.Model m : CfgWriter.MODELS) {
            assertEquals(CfgWriter.cfg(m, spec), cfg(m), m.file() + " differs from what CfgWriter writes; "
                    + REGENERATE);
        }
    }

    @Test
    void everyModelHasItsDefinitionsInMCEventPort() throws IOException {
        String mc = Files.readString(Tlc.MODULE_DIR.resolve("MCEventPort.tla"));
        for (CfgWriter.Model m : CfgWriter.MODELS) {
            for (String d : List.of("ThreadProc", "EvOwner", "EvNoShare", "Script")) {
                assertTrue(mc.contains("\n" + m.defs() + d + " "), "MCEventPort.tla lacks " + m.defs() + d
                        + " for model " + m.name());
            }
        }
    }
}
