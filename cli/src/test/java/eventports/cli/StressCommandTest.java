package eventports.cli;

import eventports.trace.TraceRecord;
import eventports.tracevalidation.TraceIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code eventports stress --trace}: a short run prints its accounting and writes its whole
 * trace, every record once and in sequence order (TraceIo.readRun rejects a gap, a repeat or a
 * swap), as many records as the run made.
 */
class StressCommandTest {
    @TempDir
    Path dir;

    @Test
    void aShortRunAccountsForEveryEventAndWritesItsWholeTrace() throws Exception {
        Path trace = dir.resolve("run.ndjson");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int rc;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            rc = Main.run("stress", "--seconds", "0.3", "--profile", "corrected", "--trace", trace.toString());
        } finally {
            System.setOut(old);
        }
        String o = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, o);
        assertTrue(o.contains("OK every event accounted for") && o.contains("accounting: sent "), o);
        List<TraceRecord> records = TraceIo.readRun(trace);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("trace records=(\\d+)").matcher(o);
        assertTrue(m.find(), o);
        assertEquals(Long.parseLong(m.group(1)), records.size());
        assertTrue(records.stream().anyMatch(r -> r.action().equals("port_close_events") || r.action().equals("port_copy_event")),
                "the run exchanged events");
    }
}
