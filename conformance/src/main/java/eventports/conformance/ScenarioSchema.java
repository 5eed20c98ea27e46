package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * conformance/scenario.schema.json (JSON Schema 2020-12), packed into the jar beside this class,
 * and what a scenario breaks of it: one line per violation, {@code <json-pointer>: <rule>}.
 * The schema is the language-neutral half of the format's rules; what it cannot say (names
 * bound before use, expectations that contradict themselves) {@link Scenario} checks.
 */
public final class ScenarioSchema {
    private ScenarioSchema() {
    }

    /** Where the schema sits in the jar (the build copies conformance/scenario.schema.json there). */
    static final String RESOURCE = "scenario.schema.json";

    private static final Schema SCHEMA = load();

    private static Schema load() {
        try (InputStream in = ScenarioSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            JsonNode schema = new ObjectMapper().readTree(in);
            SchemaRegistryConfig config = SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    b -> b.schemaRegistryConfig(config)).getSchema(schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema as loaded. */
    public static JsonNode schemaNode() {
        return SCHEMA.getSchemaNode();
    }

    /**
     * Every violation of the schema by {@code scenario}, in the validator's (deterministic) order, each as
     * {@code <json-pointer>: <rule broken>}; empty when the scenario conforms.
     */
    public static List<String> violations(JsonNode scenario) {
        List<String> out = new ArrayList<>();
        for (Error e : SCHEMA.validate(scenario)) {
            String pointer = e.getInstanceLocation().toString();
            out.add((pointer.isEmpty() ? "(root)" : pointer) + ": " + rule(e));
        }
        return out;
    }

    /** The library's message without the location it repeats, and the keyword it comes from. */
    private static String rule(Error e) {
        String m = e.getMessage();
        String where = e.getInstanceLocation().toString();
        if (!where.isEmpty() && m.startsWith(where + ": ")) {
            m = m.substring(where.length() + 2);
        }
        JsonNode got = e.getInstanceNode();
        String value = got == null || got.isContainerNode() ? "" : ", got " + got;
        return m + " (" + e.getKeyword() + ")" + (value.length() > 80 ? value.substring(0, 77) + "..." : value);
    }
}
