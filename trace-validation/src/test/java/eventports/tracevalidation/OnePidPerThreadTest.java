package eventports.tracevalidation;

import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Trace.onePidPerThread makes a harness thread that calls as several processes one spec thread
 * per process ("cycles@2", "cycles@3"); a record that names such a thread as the block sleeper it
 * woke (FORMAT.md "blockwoke") must name the same spec thread, the one of "blockwoke_pid".
 */
class OnePidPerThreadTest {
    private static TraceRecord rec(long seq, String action, String thread, int pid, Object... kv) {
        return Doctoring.record(seq, action, thread, pid, kv);
    }

    @Test
    void aWokenHarnessThreadIsNamedAsItsOwnRecordsAre() {
        List<TraceRecord> in = List.of(
                rec(0, "port_discard_events", "cycles", 2, "blocked", false, "marked", List.of()),
                rec(1, "portnowait", "G", 1, "blocked", false),
                rec(2, "port_discard_events", "cycles", 3, "blocked", true),
                rec(3, "port_unblock", "G", 1, "delivered", 0, "blockwoke", "cycles", "blockwoke_pid", 3),
                rec(4, "port_unblock", "H", 1, "delivered", 0, "blockwoke", "G", "blockwoke_pid", 1));
        List<TraceRecord> out = Trace.onePidPerThread(in);
        assertEquals("cycles@2", out.get(0).thread());
        assertEquals("cycles@3", out.get(2).thread());
        assertEquals("cycles@3", out.get(3).get("blockwoke"), "the sleeper of pid 3, not pid 2");
        assertEquals("G", out.get(3).thread(), "a thread of one process keeps its name");
        assertEquals("G", out.get(4).get("blockwoke"), "and so does a woken one");
    }
}
