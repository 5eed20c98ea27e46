package eventports.tracevalidation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streaming pass over a whole run's file names the record that makes it unloadable: a
 * truncated last line, records out of order, two runs mixed, a missing record, more records
 * than the heap holds. A sound file passes with its record count.
 */
class RunScanTest {
    @TempDir
    Path dir;

    private static String rec(long seq) {
        return "{\"seq\":" + seq + ",\"action\":\"port_create\",\"thread\":\"t\",\"pid\":1,\"port\":1,\"fd\":3}";
    }

    private Path file(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines);
    }

    private static List<String> run(int n) {
        List<String> l = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            l.add(rec(s));
        }
        return l;
    }

    private static String error(Path f, long budget) {
        return assertThrows(IOException.class, () -> RunScan.check(f, budget)).getMessage();
    }

    @Test
    void aSoundRunPasses() throws IOException {
        assertEquals(5, RunScan.check(file("ok", run(5)), 100));
    }

    @Test
    void aTruncatedLastLineIsNamed() throws IOException {
        List<String> l = run(4);
        l.set(3, l.get(3).substring(0, 30));
        String m = error(file("cut", l), 100);
        assertTrue(m.contains("cut:4: truncated record"), m);
    }

    @Test
    void recordsOutOfOrderAreNamed() throws IOException {
        List<String> l = run(4);
        l.set(1, rec(2));
        l.set(2, rec(1));
        String m = error(file("swap", l), 100);
        assertTrue(m.contains("swap:2: \"seq\" 2 follows 0: record 1 is missing"), m);
    }

    @Test
    void twoRunsMixedAreNamed() throws IOException {
        List<String> l = run(3);
        l.addAll(run(3));
        String m = error(file("two", l), 100);
        assertTrue(m.contains("two:4: \"seq\" 0 follows 2: records out of order, repeated, or two runs mixed"), m);
    }

    @Test
    void aRunLargerThanTheHeapHoldsIsNamedNotLoaded() throws IOException {
        String m = error(file("big", run(50)), 20);
        assertTrue(m.contains("big:21: record seq 20 is past 20 records"), m);
    }

    @Test
    void theLeadingSeqIsReadOnlyInTheCoresShape() {
        assertEquals(12, RunScan.leadingSeq(rec(12)));
        assertEquals(-1, RunScan.leadingSeq("{\"action\":\"x\",\"seq\":1}"));
        assertEquals(-1, RunScan.leadingSeq("{\"seq\":\"1\",}"));
    }
}
