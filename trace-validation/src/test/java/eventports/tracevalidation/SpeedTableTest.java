package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The speed table's long sizes (`trace bench` from 2M records): the program's trace written to a
 * file with checkpoints is accepted when validated from the file cut into segments, each batch
 * within the budget, and the property that turned checkpoints on is restored.
 */
class SpeedTableTest {
    @TempDir
    Path dir;

    @Test
    void aLongTraceIsWrittenWithCheckpointsAndAcceptedInSegments() throws Exception {
        Path file = dir.resolve("speed.ndjson");
        long n = SpeedTable.traceFile(6_000, 500, file);
        assertTrue(n >= 6_000);
        assertEquals(null, System.getProperty("eventports.trace.checkpoint"), "the checkpoint setting is restored");
        long checkpoints = Files.lines(file).filter(l -> l.contains("\"action\":\"checkpoint\"")).count();
        assertTrue(checkpoints >= n / 500 - 1, checkpoints + " checkpoints in " + n + " records");
        List<List<Trace>> held = new ArrayList<>();
        long budget = 2_000;
        List<Verdict> vs = RunSplit.validate(file, Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.portMaxEvents(), true, 2,
                budget, 1_000, held::add);
        assertEquals(1, vs.size(), "one port");
        assertTrue(vs.get(0).accepted(), vs.get(0).report());
        assertEquals(n, (long) vs.get(0).records());
        assertTrue(held.size() > 1, "validated in more than one batch");
        for (List<Trace> batch : held) {
            assertTrue(batch.stream().mapToLong(t -> t.records().size()).sum() <= budget, "a batch within the budget");
        }
    }
}
