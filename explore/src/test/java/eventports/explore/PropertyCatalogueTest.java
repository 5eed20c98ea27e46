package eventports.explore;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The explorer's properties name what they mirror in the spec (CONTRIBUTING.md, "a new
 * property"): every operator {@link Property#spec()} names is defined in spec/EventPort.tla,
 * and every fix {@link Property#fixes()} waits for is a flag of its {@code AllFixes} — a
 * misspelt fix would leave the property PENDING in the corrected profile for ever.
 */
class PropertyCatalogueTest {
    private static String spec() throws IOException {
        return Files.readString(Path.of("../spec/EventPort.tla"));
    }

    @Test
    void everyMirroredOperatorIsDefinedInTheSpec() throws IOException {
        String spec = spec();
        List<String> missing = new ArrayList<>();
        for (Property p : Property.values()) {
            for (String op : p.spec()) {
                if (!Pattern.compile("(?m)^" + Pattern.quote(op) + "\\s*==").matcher(spec).find()) {
                    missing.add(p + " -> " + op);
                }
            }
        }
        assertTrue(missing.isEmpty(), "Property names operators EventPort.tla does not define: " + missing);
    }

    @Test
    void everyFixAPropertyWaitsForIsAFlagOfTheSpec() throws IOException {
        String spec = spec();
        int from = spec.indexOf("AllFixes ==");
        String allFixes = spec.substring(from, spec.indexOf('}', from));
        List<String> missing = new ArrayList<>();
        for (Property p : Property.values()) {
            for (String fix : p.fixes()) {
                if (!allFixes.contains("\"" + fix + "\"")) {
                    missing.add(p + " -> " + fix);
                }
            }
        }
        assertTrue(missing.isEmpty(), "Property waits for fixes EventPort.tla's AllFixes lacks: " + missing);
    }
}
