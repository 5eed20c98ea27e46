package eventports.tracevalidation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eventports.trace.Ndjson;
import eventports.trace.TraceRecord;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** NDJSON trace files (trace-validation/FORMAT.md): write a run's records, read them back. */
public final class TraceIo {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.Set<String> HEADER = java.util.Set.of("seq", "action", "thread", "pid", "port");

    private TraceIo() {
    }

    public static void write(Path file, List<TraceRecord> records) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (TraceRecord r : records) {
                w.write(Ndjson.line(r));
                w.write('\n');
            }
        }
    }

    /**
     * Read an NDJSON trace. A line that is not a JSON object with seq, action, thread, pid and
     * port is an error naming the line, never a partial trace.
     */
    public static List<TraceRecord> read(Path file) throws IOException {
        List<TraceRecord> out = new ArrayList<>();
        forEachLine(file, (n, o) -> {
            for (String h : HEADER) {
                if (o == null || !o.hasNonNull(h)) {
                    throw new IOException(file + ":" + n + ": record without \"" + h + "\"");
                }
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!HEADER.contains(f.getKey())) {
                    fields.put(f.getKey(), value(f.getValue()));
                }
            }
            out.add(new TraceRecord(o.get("seq").asLong(), o.get("action").asText(), o.get("thread").asText(),
                    o.get("pid").asInt(), o.get("port").asInt(), fields));
        });
        return out;
    }

    /** What {@link #forEachLine} hands on: a line's number (from 1) and its JSON value. */
    public interface Line {
        void accept(int n, JsonNode o) throws IOException;
    }

    /**
     * Each non-blank line of an NDJSON file, parsed; a line that is not JSON is an error naming
     * the file and line.
     */
    public static void forEachLine(Path file, Line each) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode o;
                try {
                    o = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IOException(file + ":" + n + ": not JSON: " + e.getMessage(), e);
                }
                each.accept(n, o);
            }
        }
    }

    private static Object value(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode e : v) {
                l.add(value(e));
            }
            return l;
        }
        return v.asText();
    }
}
