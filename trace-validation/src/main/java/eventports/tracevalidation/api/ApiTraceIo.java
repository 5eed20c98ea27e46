package eventports.tracevalidation.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.tracevalidation.TraceIo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** NDJSON files of the api level (trace-validation/FORMAT.md, "Level api"): write, and read with shape checks. */
public final class ApiTraceIo {
    private static final Set<String> KINDS = Set.of("header", "call", "return", "sleep", "env");

    private ApiTraceIo() {
    }

    public static void write(Path file, List<ObjectNode> records) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (ObjectNode r : records) {
                w.write(ApiTraceWriter.JSON.writeValueAsString(r));
                w.write('\n');
            }
        }
    }

    /**
     * Read an API trace. A line that is not a JSON object with an integer {@code seq} and a known
     * {@code kind}, a first record that is not the header, or a second header is an error naming
     * the file and line, never a partial trace.
     */
    public static List<ObjectNode> read(Path file) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        TraceIo.forEachLine(file, (n, o) -> {
            String where = file + ":" + n + ": ";
            if (o == null || !o.isObject()) {
                throw new IOException(where + "a record is a JSON object");
            }
            if (!o.path("seq").isIntegralNumber()) {
                throw new IOException(where + "record without an integer \"seq\"");
            }
            String kind = o.path("kind").asText("");
            if (!KINDS.contains(kind)) {
                throw new IOException(where + "unknown \"kind\" " + o.get("kind") + " (expected one of " + KINDS + ")");
            }
            if (out.isEmpty() != kind.equals("header")) {
                throw new IOException(where + (out.isEmpty() ? "the first record must be the header" : "a second header"));
            }
            if (kind.equals("header") && !"api".equals(o.path("level").asText())) {
                throw new IOException(where + "the header's \"level\" is " + o.get("level") + ", not \"api\"");
            }
            out.add((ObjectNode) o);
        });
        if (out.isEmpty()) {
            throw new IOException(file + ": empty trace (no header)");
        }
        return out;
    }
}
