package eventports.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FileSink writes records in sequence order whatever order they come in, and names a gap. */
class FileSinkTest {
    @TempDir
    Path dir;

    private static TraceRecord rec(long seq) {
        return new TraceRecord(seq, "port_send_event", "t" + seq, 1, 1, Map.of("kev", seq));
    }

    @Test
    void recordsComingOutOfOrderAreWrittenInOrder() throws IOException {
        Path f = dir.resolve("t.ndjson");
        FileSink s = new FileSink(f);
        for (long q : new long[] {2, 0, 3, 1, 5, 4}) {
            s.record(rec(q));
        }
        s.close();
        List<String> lines = Files.readAllLines(f);
        assertEquals(6, lines.size());
        for (int i = 0; i < 6; i++) {
            assertTrue(lines.get(i).startsWith("{\"seq\":" + i + ","), lines.get(i));
        }
        assertEquals(6, s.written());
    }

    @Test
    void aRecordThatNeverCameIsNamedAtClose() throws IOException {
        FileSink s = new FileSink(dir.resolve("gap.ndjson"));
        s.record(rec(0));
        s.record(rec(2));
        IOException e = assertThrows(IOException.class, s::close);
        assertTrue(e.getMessage().contains("seq 1 never came"), e.getMessage());
    }

    @Test
    void aRecordThatCameTwiceIsNamedAtClose() throws IOException {
        FileSink s = new FileSink(dir.resolve("twice.ndjson"));
        s.record(rec(0));
        s.record(rec(0));
        IOException e = assertThrows(IOException.class, s::close);
        assertTrue(e.getMessage().contains("seq 0 came twice"), e.getMessage());
    }
}
