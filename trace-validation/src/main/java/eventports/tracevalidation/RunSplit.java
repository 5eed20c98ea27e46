package eventports.tracevalidation;

import eventports.kernel.Profile;
import eventports.trace.TraceRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run too long to load whole, validated a port at a time. Each port's protocol is checked on
 * its own anyway (Trace.perPort), so the run's file is split by port on disk in one streaming
 * pass (with RunScan's checks: no truncated line, {@code seq} counting up by one), and the
 * validating JVM then holds one port's records, or a few small ports' up to half its budget, at
 * a time; TLC gets the same per-port traces as from a run loaded whole. A port longer than the
 * budget is an error named before anything runs. (Not yet: a port's trace cut into segments at
 * checkpoint records, which would bound memory per segment and let one long port use several
 * cores; issue 14.)
 */
public final class RunSplit {
    /** Writers kept open at once; a run of many short-lived ports reopens the others to append. */
    private static final int OPEN_WRITERS = 128;

    private RunSplit() {
    }

    /** Records per port (in order of first appearance) of {@code file}, split into {@code dir/port-N.ndjson}. */
    static Map<Integer, Long> split(Path file, Path dir) throws IOException {
        Map<Integer, Long> counts = new LinkedHashMap<>();
        Map<Integer, BufferedWriter> open = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, BufferedWriter> e) {
                if (size() > OPEN_WRITERS) {
                    close(e.getValue());
                    return true;
                }
                return false;
            }
        };
        try {
            RunScan.scan(file, (line, where, seq) -> {
                int port = port(line, where);
                counts.merge(port, 1L, Long::sum);
                BufferedWriter w = open.get(port);
                if (w == null) {
                    w = Files.newBufferedWriter(dir.resolve("port-" + port + ".ndjson"), StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    open.put(port, w);
                }
                w.write(line);
                w.newLine();
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            for (BufferedWriter w : open.values()) {
                close(w);
            }
        }
        return counts;
    }

    private static void close(BufferedWriter w) {
        try {
            w.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record's port: read from the core's field order (…,"pid":N,"port":N,…), else parsed. */
    private static int port(String line, String where) throws IOException {
        int pid = line.indexOf(",\"pid\":");
        int at = pid < 0 ? -1 : line.indexOf(",\"port\":", pid);
        if (at > 0) {
            int i = at + 8;
            int start = i;
            long v = 0;
            while (i < line.length() && Character.isDigit(line.charAt(i)) && i - start < 10) {
                v = v * 10 + (line.charAt(i++) - '0');
            }
            if (i > start && i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == '}') && v >= 1
                    && v <= Integer.MAX_VALUE) {
                return (int) v;
            }
        }
        try {
            com.fasterxml.jackson.databind.JsonNode o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            com.fasterxml.jackson.databind.JsonNode p = o == null ? null : o.get("port");
            if (p != null && p.isIntegralNumber() && p.canConvertToInt() && p.asInt() >= 1) {
                return p.asInt();
            }
            throw new IOException(where + "\"port\" must be an integer from 1 to " + Integer.MAX_VALUE + ", got " + p);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(where + "not JSON: " + String.valueOf(e.getOriginalMessage()).replaceAll("\\s*\\R\\s*", " "), e);
        }
    }

    /**
     * Validate the run in {@code file} a port at a time (see the class note); {@code budget} is how
     * many records this JVM can hold loaded (RunScan#budget).
     */
    public static List<Verdict> validate(Path file, Profile profile, int maxEvents, boolean warm, int jobs, long budget)
            throws IOException {
        Path dir = Files.createTempDirectory("eventports-split");
        try {
            Map<Integer, Long> counts = split(file, dir);
            for (Map.Entry<Integer, Long> e : counts.entrySet()) {
                if (e.getValue() > budget) {
                    throw new IOException(file + ": port " + e.getKey() + " has " + e.getValue() + " records, more than this"
                            + " JVM's heap holds loaded (" + budget + " records, " + Runtime.getRuntime().maxMemory() / (1 << 20)
                            + " MB): give the JVM more heap (EVENTPORTS_JAVA_OPTS=-Xmx...) or validate a shorter run");
                }
            }
            List<Verdict> out = new ArrayList<>();
            List<Trace> group = new ArrayList<>();
            long inGroup = 0;
            for (Map.Entry<Integer, Long> e : counts.entrySet()) {
                if (!group.isEmpty() && inGroup + e.getValue() > budget / 2) {
                    out.addAll(TraceValidator.validate(group, warm, jobs));
                    group.clear();
                    inGroup = 0;
                }
                List<TraceRecord> rs = TraceIo.read(dir.resolve("port-" + e.getKey() + ".ndjson"));
                group.add(new Trace(file + ":port" + e.getKey(), profile, Trace.maxEvents(maxEvents, rs),
                        Trace.onePidPerThread(rs)));
                inGroup += e.getValue();
            }
            if (!group.isEmpty()) {
                out.addAll(TraceValidator.validate(group, warm, jobs));
            }
            return out;
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
