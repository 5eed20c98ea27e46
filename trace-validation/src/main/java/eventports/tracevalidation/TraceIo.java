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
     * Values a record's field may take where FORMAT.md lists them all (a typo is an error, not a
     * guess), by field: the actions whose field it is (a field of the same name elsewhere, such
     * as sendfd's {@code to}, means something else), and its values.
     */
    private record Enum(java.util.Set<String> actions, java.util.Set<String> values) { }

    private static final Map<String, Enum> ENUMS = Map.of(
            "to", new Enum(java.util.Set.of("port_getn"), java.util.Set.of("null", "zero", "pos", "invalid")),
            "r", new Enum(java.util.Set.of("cv_waituntil_sig", "port_alloc_event_block"),
                    java.util.Set.of("signal", "timeout", "intr")),
            "outcome", new Enum(java.util.Set.of("port_copy_event"), java.util.Set.of("deliver", "deny", "discard")),
            "kind", new Enum(java.util.Set.of("port_getn"), java.util.Set.of("get", "getn")));

    /**
     * Read the trace of a whole run, as the core writes it: {@link #read}, and {@code seq}
     * counts up by one from the first record — a gap, a repeat or a step back means a record is
     * missing, the file is out of order or two runs are mixed, and is an error naming the line.
     */
    public static List<TraceRecord> readRun(Path file) throws IOException {
        return read(file, true, Long.MAX_VALUE);
    }

    /**
     * The first {@code limit} records of a whole run, checked as {@link #readRun} checks them;
     * the rest of the file is not read (a long trace's first rejection is found without
     * holding the trace in memory).
     */
    public static List<TraceRecord> readRun(Path file, long limit) throws IOException {
        return read(file, true, limit);
    }

    /**
     * Read an NDJSON trace (a run's, or the part of it the validator hands TLC for one port, or a
     * deliberately doctored one: records may be missing or out of order). Every record is a JSON
     * object with seq, action, thread, pid and port of the right types; {@code port} is a port
     * (1 or more); a field whose values FORMAT.md enumerates holds one of them. Anything else is
     * an error naming the file, the line and the field, never a partial trace. An empty file is
     * an error too.
     */
    public static List<TraceRecord> read(Path file) throws IOException {
        return read(file, false, Long.MAX_VALUE);
    }

    /** Thrown by {@link #forEachRecord}'s line handler to stop at its limit; never leaves it. */
    private static final class Enough extends IOException {
        Enough() {
            super(null, null);
        }
    }

    private static List<TraceRecord> read(Path file, boolean wholeRun, long limit) throws IOException {
        List<TraceRecord> out = new ArrayList<>();
        forEachRecord(file, wholeRun, limit, (r, n) -> out.add(r));
        if (out.isEmpty()) {
            throw new IOException(file + ": no records (an empty trace checks nothing)");
        }
        return out;
    }

    /** What {@link #forEachRecord} hands on: a record and its line's number (from 1). */
    interface Each {
        void accept(TraceRecord r, int n) throws IOException;
    }

    /**
     * The first {@code limit} records of {@code file}, checked as {@link #read} (and, for
     * {@code wholeRun}, {@link #readRun}) checks them, handed on one at a time and not kept: a
     * trace of any length in constant memory (RunSplit cuts a port's file into segments so).
     */
    static void forEachRecord(Path file, boolean wholeRun, long limit, Each each) throws IOException {
        long[] prev = {-1};
        long[] records = {0};
        try {
            forEachLine(file, (n, o) -> check(file, wholeRun, limit, each, prev, records, n, o));
        } catch (Enough e) {
            // the first limit records are read
        }
    }

    /** Line {@code n}'s record, checked, handed on; past {@code limit} records, stop. */
    private static void check(Path file, boolean wholeRun, long limit, Each each, long[] prev, long[] records, int n,
                              JsonNode o) throws IOException {
        if (records[0] >= limit) {
            throw new Enough();
        }
        String where = file + ":" + n + ": ";
        if (o == null || !o.isObject()) {
            throw new IOException(where + "a record is a JSON object");
        }
        for (String h : HEADER) {
            if (!o.hasNonNull(h)) {
                throw new IOException(where + "record without \"" + h + "\"");
            }
        }
        long seq = integer(o, "seq", 0, Long.MAX_VALUE, where);
        if (wholeRun && prev[0] >= 0 && seq != prev[0] + 1) {
            throw new IOException(where + "\"seq\" " + seq + " follows " + prev[0] + ": "
                    + (seq <= prev[0] ? "records out of order, repeated, or two runs mixed"
                    : "record " + (prev[0] + 1) + " is missing"));
        }
        prev[0] = seq;
        int pid = (int) integer(o, "pid", 0, Integer.MAX_VALUE, where);
        int port = (int) integer(o, "port", 1, Integer.MAX_VALUE, where);
        for (String h : new String[] {"action", "thread"}) {
            if (!o.get(h).isTextual() || o.get(h).textValue().isEmpty()) {
                throw new IOException(where + "\"" + h + "\" must be a non-empty string, got " + o.get(h));
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (HEADER.contains(f.getKey())) {
                continue;
            }
            Enum e = ENUMS.get(f.getKey());
            java.util.Set<String> allowed = e == null || !e.actions().contains(o.get("action").textValue())
                    ? null : e.values();
            if (allowed != null && !f.getValue().isNull() && !allowed.contains(f.getValue().asText())) {
                throw new IOException(where + "\"" + f.getKey() + "\" must be one of " + new java.util.TreeSet<>(allowed)
                        + ", got " + f.getValue());
            }
            typed(f.getKey(), f.getValue(), where);
            fields.put(f.getKey(), value(f.getValue()));
        }
        records[0]++;
        each.accept(new TraceRecord(seq, o.get("action").textValue(), o.get("thread").textValue(), pid, port, fields),
                n);
    }

    /**
     * Fields the spec reads as integers (TLC's 32-bit IntValue) or as booleans, whatever the
     * action: a value of another type is an error naming the line and the field, not a TLC
     * failure in the middle of a run. {@code to} is port_getn's timeout kind (ENUMS) but sendfd's
     * receiving process; the other fields are not typed here.
     */
    private static final java.util.Set<String> INTEGERS = java.util.Set.of("alert", "child", "count", "curr",
            "delivered", "events", "fd", "fired", "flags", "getn", "kev", "lastclose", "lost", "max", "max_events",
            "nent", "newfd", "nget", "nmax", "owner", "ports", "source", "thrcnt", "tnent");
    private static final java.util.Set<String> BOOLEANS = java.util.Set.of("blocked", "cleared_alert", "closing",
            "first", "noshare", "poll", "reassoc", "resume", "sleep", "taken", "wait");

    private static void typed(String field, JsonNode v, String where) throws IOException {
        if (v.isNull()) {
            return;
        }
        if (INTEGERS.contains(field) && !(v.isIntegralNumber() && v.canConvertToInt())) {
            throw new IOException(where + "\"" + field + "\" must be an integer from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE + ", got " + v);
        }
        if (BOOLEANS.contains(field) && !v.isBoolean()) {
            throw new IOException(where + "\"" + field + "\" must be true or false, got " + v);
        }
    }

    private static long integer(JsonNode o, String field, long min, long max, String where) throws IOException {
        JsonNode v = o.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw new IOException(where + "\"" + field + "\" must be an integer from " + min + " to " + max
                    + ", got " + v);
        }
        return v.asLong();
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
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a trace file");
        }
        if (!Files.exists(file)) {
            throw new IOException(file + ": no such file");
        }
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
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
                    throw new IOException(file + ":" + n + ": not JSON" + (at == null ? "" : " (column "
                            + at.getColumnNr() + ")") + ": " + String.valueOf(e.getOriginalMessage())
                            .replaceAll("\\s*\\R\\s*", " "), e);
                }
                each.accept(n, o);
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text (a binary file?)", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException(file + ": permission denied", e);
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
