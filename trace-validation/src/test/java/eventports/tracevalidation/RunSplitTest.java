package eventports.tracevalidation;

import eventports.kernel.Layer;
import eventports.kernel.Profile;
import eventports.stress.StressRun;
import eventports.trace.FileSink;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run validated a port at a time from its file split on disk gets the verdicts of the run
 * loaded whole; a port longer than the budget is named before anything runs; a doctored run is
 * rejected on this path too.
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
        List<Verdict> vs = RunSplit.validate(doctored, Profile.ILLUMOS, StressRun.MAX_EVENTS, false, 0, largest);
        assertFalse(vs.stream().allMatch(Verdict::accepted), "the doctored delivery is found");
    }

    private static List<String> ids(List<Verdict> vs) {
        List<String> out = new ArrayList<>();
        vs.forEach(v -> out.add(v.id() + "=" + v.accepted()));
        out.sort(String::compareTo);
        return out;
    }
}
