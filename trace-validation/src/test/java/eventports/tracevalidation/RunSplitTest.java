package eventports.tracevalidation;

import eventports.kernel.Layer;
import eventports.kernel.Profile;
import eventports.stress.StressRun;
import eventports.trace.FileSink;
import eventports.trace.Ndjson;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run validated a port at a time from its file split on disk gets the verdicts of the run
 * loaded whole; a port longer than the budget with no checkpoint is named before anything runs;
 * a doctored run is rejected on this path too. A port longer than the budget with checkpoints is
 * cut on disk into the segments Segments.split makes of it loaded, validated a few at a time
 * within the budget: accepted if genuine, rejected where the port validated whole is, and an
 * error naming the cut where a segment is rejected at its cut.
 */
class RunSplitTest {
    @TempDir
    Path dir;

    private Path run() throws Exception {
        Path file = dir.resolve("run.ndjson");
        try (FileSink sink = new FileSink(file)) {
            new StressRun(Profile.ILLUMOS, Layer.DESCRIPTORS, 20261206L, 25, sink).run();
        }
        return file;
    }

    @Test
    void aPortAtATimeGivesTheVerdictsOfTheWholeRun() throws Exception {
        Path file = run();
        List<Trace> whole = Trace.perPort(file.toString(), Profile.ILLUMOS, StressRun.MAX_EVENTS, TraceIo.readRun(file));
        assertTrue(whole.size() >= 3, "a run on several ports");
        // without --max-events, each port's own limit, from its port_create record
        for (Trace t : Trace.perPort("x", Profile.ILLUMOS, Trace.MAX_EVENTS_OF_THE_TRACE, TraceIo.readRun(file))) {
            assertEquals(StressRun.MAX_EVENTS, t.maxEvents(), t.id());
        }
        Map<Integer, Long> counts = RunSplit.split(file, Files.createDirectories(dir.resolve("split")));
        long largest = counts.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        for (Trace t : whole) {
            assertEquals(t.records().size(), counts.get(t.records().get(0).port()), t.id());
        }
        List<Verdict> split = RunSplit.validate(file, Profile.ILLUMOS, StressRun.MAX_EVENTS, false, 0, largest);
        List<Verdict> loaded = TraceValidator.validate(whole);
        assertEquals(ids(loaded), ids(split));
        assertTrue(split.stream().allMatch(Verdict::accepted), split.toString());

        IOException tooLong = assertThrows(IOException.class,
                () -> RunSplit.validate(file, Profile.ILLUMOS, StressRun.MAX_EVENTS, false, 0, largest - 1));
        assertTrue(tooLong.getMessage().contains("has " + largest + " records, more than"), tooLong.getMessage());
        assertTrue(tooLong.getMessage().contains("no checkpoint it can be cut at"), tooLong.getMessage());
    }

    @Test
    void aDoctoredRunIsRejectedAPortAtATime() throws Exception {
        Path file = run();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int at = -1;
        for (int i = lines.size() / 2; i < lines.size() && at < 0; i++) {
            if (lines.get(i).contains("\"outcome\":\"deliver\"")) {
                at = i;
            }
        }
        assertTrue(at >= 0, "a delivery to doctor");
        lines.set(at, lines.get(at).replace("\"outcome\":\"deliver\"", "\"outcome\":\"deny\""));
        Path doctored = Files.write(dir.resolve("doctored.ndjson"), lines);
        long largest = RunSplit.split(doctored, Files.createDirectories(dir.resolve("d"))).values().stream()
                .mapToLong(Long::longValue).max().orElseThrow();
        List<Verdict> vs = RunSplit.validate(doctored, Profile.ILLUMOS, StressRun.MAX_EVENTS, true, 2, largest);
        assertFalse(vs.stream().allMatch(Verdict::accepted), "the doctored delivery is found");
    }

    /** Records per segment: small, so that a short run's long port has several (as in SegmentsTest). */
    private static final int SEGMENT = 300;
    /** Records of a stress run kept for a test of segments. */
    private static final int PREFIX = 4_000;

    /** A 200 ms corrected stress run, a checkpoint due every 150 records of a port (as in SegmentsTest). */
    private Path checkpointed(long seed) throws Exception {
        Path file = dir.resolve("cp" + seed + ".ndjson");
        System.setProperty("eventports.trace.checkpoint", "150");
        StressRun r;
        try (FileSink sink = new FileSink(file)) {
            try {
                r = new StressRun(Profile.CORRECTED, Layer.DESCRIPTORS, seed, 200, sink);
            } finally {
                System.clearProperty("eventports.trace.checkpoint");
            }
            r.run();
        }
        return file;
    }

    /**
     * The first {@link #PREFIX} records of {@link #checkpointed}'s run without the ports Segments
     * does not cut ({@code seq} renumbered: the spec does not read it), so that a budget under the
     * longest port holds every other port or its segments, whichever ports the threads made quiet
     * this time, and TLC's work does not grow with the machine's speed.
     */
    private Path cutPortsOf(long seed) throws Exception {
        Path file = checkpointed(seed);
        List<TraceRecord> rs = TraceIo.readRun(file, PREFIX);
        java.util.Set<Integer> cut = new java.util.HashSet<>();
        for (Trace t : Trace.perPort(file.toString(), Profile.CORRECTED, StressRun.MAX_EVENTS, rs)) {
            if (Segments.split(t, SEGMENT).size() > 1) {
                cut.add(port(t));
            }
        }
        List<String> lines = new ArrayList<>();
        for (TraceRecord r : rs) {
            if (cut.contains(r.port())) {
                lines.add(Ndjson.line(new TraceRecord(lines.size(), r.action(), r.thread(), r.pid(), r.port(), r.fields())));
            }
        }
        return Files.write(dir.resolve("cut-" + file.getFileName()), lines);
    }

    /** The run's longest port, loaded whole as the in-memory path loads it. */
    private static Trace longest(Path file) throws IOException {
        return Trace.perPort(file.toString(), Profile.CORRECTED, StressRun.MAX_EVENTS, TraceIo.readRun(file)).stream()
                .max(java.util.Comparator.comparingInt(t -> t.records().size())).orElseThrow();
    }

    private static int port(Trace t) {
        return t.records().get(0).port();
    }

    private static List<String> lines(Trace t) {
        return t.records().stream().map(Ndjson::line).toList();
    }

    /**
     * A budget {@code port} exceeds that holds each of its segments, and every other port of the
     * run or its segments; twice SEGMENT at least, so that RunSplit cuts as Segments.split(t,
     * SEGMENT) does (it cuts into segments of at least half the budget at most).
     */
    private static long budgetFor(Path file, Trace port) throws IOException {
        long budget = Math.max(2L * SEGMENT, port.records().size() / 2);
        for (Trace t : Trace.perPort(file.toString(), Profile.CORRECTED, StressRun.MAX_EVENTS, TraceIo.readRun(file))) {
            for (Segments.Segment g : Segments.split(t, SEGMENT)) {
                budget = Math.max(budget, g.trace().records().size());
            }
        }
        assertTrue(budget < port.records().size(), "a budget " + budget + " under the port's " + port.records().size());
        return budget;
    }

    /** {@code file} with the line of record {@code seq} edited. */
    private Path doctor(Path file, long seq, java.util.function.UnaryOperator<String> edit) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int at = -1;
        for (int i = 0; i < lines.size() && at < 0; i++) {
            if (RunScan.leadingSeq(lines.get(i)) == seq) {
                at = i;
            }
        }
        String before = lines.get(at);
        lines.set(at, edit.apply(before));
        assertFalse(lines.get(at).equals(before), "the record is changed");
        return Files.write(dir.resolve("doctored-" + file.getFileName()), lines);
    }

    /** Validated a port at a time with {@code budget}: the verdicts, and each batch held loaded. */
    private static List<Verdict> validate(Path file, long budget, List<List<Trace>> held) throws IOException {
        // warm: a batch a few segments long, many of them; WarmValidationTest shows warm verdicts equal cold ones
        return RunSplit.validate(file, Profile.CORRECTED, StressRun.MAX_EVENTS, true, 2, budget, SEGMENT, held::add);
    }

    private static Verdict of(List<Verdict> vs, String id) {
        return vs.stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aPortLongerThanTheBudgetIsAcceptedInSegmentsHeldWithinIt() throws Exception {
        Path file = cutPortsOf(20261207L);
        Trace port = longest(file);
        long budget = budgetFor(file, port);
        List<List<Trace>> held = new ArrayList<>();
        List<Verdict> vs = validate(file, budget, held);
        vs.forEach(v -> assertTrue(v.accepted(), v::report));
        assertEquals(port.records().size(), of(vs, port.id()).records());
        List<String> segments = new ArrayList<>();
        for (List<Trace> batch : held) {
            long records = batch.stream().mapToLong(t -> t.records().size()).sum();
            assertTrue(records <= budget, records + " records held at once, more than the budget " + budget);
            batch.forEach(t -> assertFalse(t.id().equals(port.id()), "the port was loaded whole"));
            batch.stream().map(Trace::id).filter(id -> id.startsWith(port.id() + "#")).forEach(segments::add);
        }
        assertEquals(Segments.split(port, SEGMENT).stream().map(g -> g.trace().id()).toList(), segments);
        assertTrue(segments.size() > 1, segments.toString());
    }

    @Test
    void aDoctoredLaterSegmentIsRejectedWhereThePortWholeIs() throws Exception {
        Path file = cutPortsOf(20261211L);
        Trace port = longest(file);
        long budget = budgetFor(file, port);
        List<Segments.Segment> segs = Segments.split(port, SEGMENT);
        // a delivery inside the last segment, neither its first record nor its last
        Segments.Segment last = segs.get(segs.size() - 1);
        TraceRecord delivery = null;
        for (int j = last.from() + 1; j < port.records().size() - 1 && delivery == null; j++) {
            TraceRecord r = port.records().get(j);
            if ("deliver".equals(r.get("outcome"))) {
                delivery = r;
            }
        }
        assertNotNull(delivery, "a delivery in the port's last segment");
        Path doctored = doctor(file, delivery.seq(), l -> l.replace("\"outcome\":\"deliver\"", "\"outcome\":\"deny\""));
        Trace whole = Trace.perPort(doctored.toString(), Profile.CORRECTED, StressRun.MAX_EVENTS,
                TraceIo.readRun(doctored)).stream().filter(t -> port(t) == port(port)).findFirst().orElseThrow();
        Verdict loaded = TraceValidator.validate(List.of(whole), true, 2, 0).get(0);
        assertFalse(loaded.accepted(), "the doctored delivery is found in the port whole");
        Verdict cut = of(validate(doctored, budget, new ArrayList<>()), whole.id());
        assertFalse(cut.accepted(), "the doctored delivery is found in segments");
        assertNull(cut.error(), cut.report());
        assertEquals(loaded.firstRejected(), cut.firstRejected(), cut.report());
        assertEquals(loaded.rejectedRecord(), cut.rejectedRecord(), cut.report());
        assertEquals(loaded.records(), cut.records());
        assertTrue(cut.firstRejected() > last.from() + 1, cut.report());
    }

    @Test
    void aRejectionAtTheCutOfAPortLongerThanTheBudgetIsAnErrorNamingIt() throws Exception {
        Path file = cutPortsOf(20261209L);
        Trace port = longest(file);
        long budget = budgetFor(file, port);
        int cutAt = Segments.split(port, SEGMENT).get(1).from();
        TraceRecord cp = port.records().get(cutAt);
        assertEquals("checkpoint", cp.action());
        int curr = ((Number) cp.get("curr")).intValue();
        Path doctored = doctor(file, cp.seq(), l -> l.replace("\"curr\":" + curr + ",", "\"curr\":" + (curr + 1) + ","));
        Verdict v = of(validate(doctored, budget, new ArrayList<>()), doctored + ":port" + port(port));
        assertFalse(v.accepted(), v.report());
        assertNotNull(v.error(), v.report());
        assertEquals(cutAt + 1, v.firstRejected(), v.report());
        assertTrue(v.report().startsWith("ERROR " + doctored + ":port" + port(port) + ": segment 1 was rejected at its cut,"
                + " the port's record " + (cutAt + 1) + " of " + port.records().size()), v.report());
        assertTrue(v.report().contains("record: {\"seq\":" + cp.seq() + ",\"action\":\"checkpoint\""), v.report());
    }

    @Test
    void aLongPortIsCutOnDiskIntoTheSegmentsOfItLoaded() throws Exception {
        Path file = cutPortsOf(20261210L);
        Trace port = longest(file);
        List<Segments.Segment> inMemory = Segments.split(port, SEGMENT);
        assertTrue(inMemory.size() > 1, "the longest port has " + inMemory.size() + " segments");
        Path d = Files.createDirectories(dir.resolve("split"));
        Map<Integer, Long> counts = RunSplit.split(file, d);
        RunSplit.OnDisk onDisk = RunSplit.OnDisk.cut(file, d, port(port), counts.get(port(port)), SEGMENT,
                port.records().size() - 1);
        assertEquals(inMemory.size(), onDisk.spans.size());
        for (int k = 0; k < inMemory.size(); k++) {
            Segments.Segment g = inMemory.get(k);
            assertEquals(g.span(), onDisk.spans.get(k));
            Trace t = onDisk.load(k, Profile.CORRECTED, StressRun.MAX_EVENTS);
            assertEquals(g.trace().id(), t.id());
            assertEquals(g.trace().maxEvents(), t.maxEvents());
            List<String> loaded = lines(g.trace());
            List<String> streamed = lines(t);
            for (int j = 0; j < Math.min(loaded.size(), streamed.size()); j++) {
                assertEquals(loaded.get(j), streamed.get(j), "segment " + (k + 1) + ", record " + (j + 1));
            }
            assertEquals(loaded.size(), streamed.size(), "segment " + (k + 1));
        }
        // a segment longer than the budget is named, not loaded
        long longestSegment = inMemory.stream().mapToLong(g -> g.trace().records().size()).max().orElseThrow();
        IOException e = assertThrows(IOException.class, () -> RunSplit.OnDisk.cut(file, d, port(port),
                counts.get(port(port)), SEGMENT, longestSegment - 1));
        assertTrue(e.getMessage().contains("records, more than this JVM's heap holds loaded (" + (longestSegment - 1)),
                e.getMessage());
        assertTrue(e.getMessage().contains("port " + port(port) + "'s segment "), e.getMessage());
    }

    private static List<String> ids(List<Verdict> vs) {
        List<String> out = new ArrayList<>();
        vs.forEach(v -> out.add(v.id() + "=" + v.accepted()));
        out.sort(String::compareTo);
        return out;
    }
}
