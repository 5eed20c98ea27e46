package eventports.tracevalidation;

import eventports.kernel.Profile;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cold TLC child runs C1 only for a short batch and keeps C2 for a long one (a stress batch:
 * 368,562 records with --jobs 2 took 106 s instead of 157 s), decided by the record count the
 * validator writes into batch.json.
 */
class ChildJitTest {
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    private static List<String> commandFor(Path dir, long records) throws IOException {
        Files.writeString(dir.resolve("batch.json"), "{\"records\":" + records + "}");
        return TlcChild.childCommand(dir);
    }

    @Test
    void aShortBatchRunsC1Only(@TempDir Path dir) throws IOException {
        assertTrue(commandFor(dir, TlcChild.C2_FROM_RECORDS - 1).contains(C1_ONLY));
    }

    @Test
    void aLongBatchKeepsC2(@TempDir Path dir) throws IOException {
        assertFalse(commandFor(dir, TlcChild.C2_FROM_RECORDS).contains(C1_ONLY));
    }

    @Test
    void theBatchCountsEveryTracesRecords() {
        List<Trace> traces = new ArrayList<>();
        for (int n : new int[]{3, 5}) {
            List<TraceRecord> recs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                recs.add(new TraceRecord(i, "port_create", "T1", 1, 1, Map.of("fd", 3)));
            }
            traces.add(new Trace("t" + n, Profile.ILLUMOS, 512, recs));
        }
        assertEquals(8, TraceValidator.batchSpec(traces, null, false).path("records").asLong());
    }
}
