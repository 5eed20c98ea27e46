package eventports.sources;

import eventports.kernel.Ports;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new event source (CONTRIBUTING.md, "a new event source") is named everywhere a name is
 * looked up: every PORT_SOURCE_* constant of {@link Ports} has that name in
 * {@link Ports#sourceName} and back in {@link Ports#sourceOf} (how scenarios and reports spell
 * it), and every source class of this package is in README.md's table of event sources.
 */
class SourceCatalogueTest {
    @Test
    void everySourceConstantHasItsNameBothWays() throws IllegalAccessException {
        List<String> gaps = new ArrayList<>();
        int found = 0;
        for (Field f : Ports.class.getFields()) {
            if (!f.getName().startsWith("PORT_SOURCE_") || !Modifier.isStatic(f.getModifiers())
                    || f.getType() != int.class) {
                continue;
            }
            found++;
            int v = f.getInt(null);
            if (!Ports.sourceName(v).equals(f.getName())) {
                gaps.add(f.getName() + " = " + v + ": sourceName gives " + Ports.sourceName(v));
            }
            if (Ports.sourceOf(f.getName()) != v) {
                gaps.add(f.getName() + ": sourceOf gives " + Ports.sourceOf(f.getName()));
            }
        }
        assertTrue(found >= 7, "found only " + found + " PORT_SOURCE_* constants");
        assertTrue(gaps.isEmpty(), String.join("\n", gaps));
    }

    @Test
    void everySourceClassIsInTheReadmesTable() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        List<String> missing;
        try (Stream<Path> s = Files.list(Path.of("src/main/java/eventports/sources"))) {
            missing = s.map(p -> p.getFileName().toString().replace(".java", ""))
                    .filter(n -> n.endsWith("Source"))
                    .filter(n -> !readme.contains("| `" + n + "` |"))
                    .sorted().collect(Collectors.toList());
        }
        assertTrue(missing.isEmpty(), "README.md's table of event sources lacks " + missing);
    }
}
