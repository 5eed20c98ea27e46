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
import java.util.function.Consumer;

/**
 * A run too long to load whole, validated a port at a time. Each port's protocol is checked on
 * its own anyway (Trace.perPort), so the run's file is split by port on disk in one streaming
 * pass (with RunScan's checks: no truncated line, {@code seq} counting up by one), and the
 * validating JVM then holds one port's records, or a few small ports' up to half its budget, at
 * a time; TLC gets the same per-port traces as from a run loaded whole. A port longer than the
 * budget is cut into segments on disk at its checkpoint records ({@link OnDisk#cut}: one more
 * streaming pass, Segments' rule), and its segments are loaded a few at a time like small ports,
 * so memory stays bounded by the budget however long the port; its verdict is formed from theirs
 * as Segments.verdict forms it. Such a port with no cut, or with a segment longer than the budget,
 * is an error named before anything runs; one whose segment is rejected at its cut, which only
 * the port validated whole could settle, gets an error verdict naming the cut.
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
        return validate(file, profile, maxEvents, warm, jobs, budget, Segments.minRecords(), batch -> { });
    }

    /**
     * As above, with segments of at least {@code segment} records (Segments; 0: none);
     * {@code held} is shown each batch of traces before it is validated: all this JVM holds
     * loaded at once.
     */
    static List<Verdict> validate(Path file, Profile profile, int maxEvents, boolean warm, int jobs, long budget,
                                  int segment, Consumer<List<Trace>> held) throws IOException {
        Path dir = Files.createTempDirectory("eventports-split");
        try {
            Map<Integer, Long> counts = split(file, dir);
            // ports longer than the budget cut on disk first, so that one that cannot be is named before
            // anything runs; into segments of at least half the budget at most, which fit it where the
            // checkpoints allow
            int onDisk = segment <= 0 ? 0 : (int) Math.max(1, Math.min(segment, budget / 2));
            Map<Integer, OnDisk> cut = new LinkedHashMap<>();
            for (Map.Entry<Integer, Long> e : counts.entrySet()) {
                if (e.getValue() > budget) {
                    cut.put(e.getKey(), OnDisk.cut(file, dir, e.getKey(), e.getValue(), onDisk, budget));
                }
            }
            cut.values().forEach(d -> System.err.println("trace validate: " + d.id + " (" + d.records
                    + " records, more than this JVM holds loaded) cut on disk into " + d.spans.size()
                    + " segments (checkpoints, at least " + onDisk + " records each)"));
            List<Integer> ports = new ArrayList<>(counts.keySet());
            Verdict[] out = new Verdict[ports.size()];
            Window w = new Window(warm, jobs, segment, held, out);
            for (int n = 0; n < ports.size(); n++) {
                int port = ports.get(n);
                OnDisk d = cut.get(port);
                for (int k = 0; k < (d == null ? 1 : d.spans.size()); k++) {
                    long size = d == null ? counts.get(port) : d.spans.get(k).records();
                    if (!w.traces.isEmpty() && w.records + size > budget / 2) {
                        w.validate();
                    }
                    if (d != null && d.verdicts.stream().anyMatch(v -> !v.accepted())) {
                        break;      // the port's verdict is its first rejected segment's
                    }
                    if (d == null) {
                        List<TraceRecord> rs = TraceIo.read(dir.resolve("port-" + port + ".ndjson"));
                        w.add(new Trace(file + ":port" + port, profile, Trace.maxEvents(maxEvents, rs),
                                Trace.onePidPerThread(rs)), n, null);
                    } else {
                        w.add(d.load(k, profile, maxEvents), n, d);
                    }
                    w.records += size;
                }
            }
            w.validate();
            for (int n = 0; n < ports.size(); n++) {
                OnDisk d = cut.get(ports.get(n));
                if (d != null) {
                    out[n] = d.verdict(budget);
                }
            }
            return List.of(out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The traces held loaded at once, and where each one's verdict goes. */
    private static final class Window {
        final List<Trace> traces = new ArrayList<>();
        /** Each trace's port (its index in the run's order) and, for a segment on disk, its port's. */
        final List<Integer> port = new ArrayList<>();
        final List<OnDisk> of = new ArrayList<>();
        long records;
        final boolean warm;
        final int jobs;
        final int segment;
        final Consumer<List<Trace>> held;
        final Verdict[] out;

        Window(boolean warm, int jobs, int segment, Consumer<List<Trace>> held, Verdict[] out) {
            this.warm = warm;
            this.jobs = jobs;
            this.segment = segment;
            this.held = held;
            this.out = out;
        }

        void add(Trace t, int n, OnDisk d) {
            traces.add(t);
            port.add(n);
            of.add(d);
        }

        /** Validate the traces held, all in one call: a port's and a segment's are dealt into the same jobs runs. */
        void validate() {
            if (traces.isEmpty()) {
                return;
            }
            held.accept(List.copyOf(traces));
            List<List<Segments.Segment>> segs = new ArrayList<>();
            for (int k = 0; k < traces.size(); k++) {
                Trace t = traces.get(k);
                // a port loaded whole is cut in memory as TraceValidator cuts it; a segment is one already
                segs.add(Segments.of(t, of.get(k) == null ? segment : 0));
            }
            List<Verdict> vs = TraceValidator.validate(traces, segs, warm, jobs, segment);
            for (int k = 0; k < traces.size(); k++) {
                if (of.get(k) == null) {
                    out[port.get(k)] = vs.get(k);
                } else {
                    of.get(k).verdicts.add(vs.get(k));
                }
            }
            traces.clear();
            port.clear();
            of.clear();
            records = 0;
        }
    }

    /**
     * A port longer than the budget, cut into segments on disk ({@link #cut}): each segment's file
     * and span, their verdicts so far, and what loading a segment needs of the whole port.
     */
    static final class OnDisk {
        final String id;
        final Path file;
        final long records;
        final List<Path> files = new ArrayList<>();
        final List<Segments.Span> spans = new ArrayList<>();
        final List<Verdict> verdicts = new ArrayList<>();
        /** The port's threads' pids: each segment is renamed as the port's whole trace would be. */
        final Trace.Pids pids = new Trace.Pids();
        /** The port's first port_create that states its max_events, if any: Trace.maxEvents reads it. */
        TraceRecord created;

        private OnDisk(String id, Path file, long records) {
            this.id = id;
            this.file = file;
            this.records = records;
        }

        /**
         * Cut the port's file in {@code dir} into segment files in one streaming pass, by
         * Segments' rule: each segment file holds what Segments.split would make of the port's
         * loaded trace (before onePidPerThread's renaming, which {@link #load} applies). Too long a
         * port with no cut, or a segment longer than the budget, is an error naming it.
         */
        static OnDisk cut(Path run, Path dir, int port, long records, int segment, long budget) throws IOException {
            OnDisk d = new OnDisk(run + ":port" + port, dir.resolve("port-" + port + ".ndjson"), records);
            String tooLong = run + ": port " + port + " has " + records + " records, more than this JVM's heap holds"
                    + " loaded (" + budget + " records, " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB)";
            String remedy = ": give the JVM more heap (EVENTPORTS_JAVA_OPTS=-Xmx...) or validate a shorter run";
            if (segment <= 0) {
                throw new IOException(tooLong + ", and segments are off (-Deventports.tv.segment=0)" + remedy);
            }
            Segments.Cutter cutter = new Segments.Cutter(segment, records);
            BufferedWriter[] w = {d.open(dir, port)};
            Segments.Into<IOException> files = new Segments.Into<>() {
                @Override
                public void record(TraceRecord r) throws IOException {
                    w[0].write(eventports.trace.Ndjson.line(r));
                    w[0].newLine();
                }

                @Override
                public void next() throws IOException {
                    w[0].close();
                    w[0] = d.open(dir, port);
                }
            };
            try {
                TraceIo.forEachRecord(d.file, false, Long.MAX_VALUE, (r, n) -> {
                    d.pids.add(r);
                    if (d.created == null && Trace.statedMaxEvents(r) != null) {
                        d.created = r;
                    }
                    cutter.take(r, files);
                });
            } finally {
                w[0].close();
            }
            d.spans.addAll(cutter.spans());
            if (d.spans.size() == 1) {
                throw new IOException(tooLong + ", and no checkpoint it can be cut at (the run was written without"
                        + " checkpoints or with them further apart, --checkpoint N, or the port was never quiet:"
                        + " README.md, \"Segments\")" + remedy);
            }
            for (int k = 0; k < d.spans.size(); k++) {
                Segments.Span s = d.spans.get(k);
                if (s.records() > budget) {
                    throw new IOException(run + ": port " + port + "'s segment " + (k + 1) + " (its records " + (s.from() + 1)
                            + " to " + (s.from() + s.records()) + ") has " + s.records() + " records, more than this JVM's"
                            + " heap holds loaded (" + budget + " records): no checkpoint between them is a cut (the port"
                            + " was never quiet there, or checkpoints were written further apart: README.md,"
                            + " \"Segments\")" + remedy);
                }
            }
            return d;
        }

        private BufferedWriter open(Path dir, int port) throws IOException {
            Path f = dir.resolve("port-" + port + "-" + (files.size() + 1) + ".ndjson");
            files.add(f);
            return Files.newBufferedWriter(f, StandardCharsets.UTF_8);
        }

        /** Segment {@code k} (from 0), loaded as Segments.split makes it of the port's loaded trace; its file is then deleted. */
        Trace load(int k, Profile profile, int maxEvents) throws IOException {
            List<TraceRecord> rs = pids.rename(TraceIo.read(files.get(k)));
            Files.delete(files.get(k));
            return new Trace(id + "#" + (k + 1), profile, Trace.maxEvents(maxEvents, created == null ? List.of()
                    : List.of(created)), rs);
        }

        /** The port's record {@code at} (from 1) as text, read from its file. */
        String line(int at) {
            TraceRecord[] r = {null};
            try {
                TraceIo.forEachRecord(file, false, at, (x, n) -> r[0] = x);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return eventports.trace.Ndjson.line(pids.rename(r[0]));
        }

        /**
         * The port's verdict from its segments' (Segments.verdict); where that is to validate the
         * port whole, which this JVM cannot hold, an error naming the cut.
         */
        Verdict verdict(long budget) {
            int n = Math.toIntExact(records);
            Verdict v = Segments.verdict(id, n, spans, verdicts, this::line);
            if (v != null) {
                return v;
            }
            int at = Segments.rejectedAtCut(spans, verdicts);
            int k = 0;
            while (verdicts.get(k).accepted()) {
                k++;
            }
            Verdict s = verdicts.get(k);
            String rec = line(at);
            return new Verdict(id, false, n, at, rec, s.statesBefore(), s.enabledActions(), "segment "
                    + (k + 1) + " was rejected at its cut, the port's record " + at + " of " + n + " (a doctored"
                    + " checkpoint, or a thread the records showed finished that was not); only the port's trace"
                    + " validated whole can tell, and its " + n + " records are more than this JVM's heap holds loaded ("
                    + budget + " records, " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB): give the JVM more heap"
                    + " (EVENTPORTS_JAVA_OPTS=-Xmx...)\n  record: " + rec);
        }
    }
}
