package eventports.tracevalidation;

import eventports.kernel.Profile;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.Value;
import util.UniqueString;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The batch's constants pair each thread with its own process whatever order TLC sorts thread
 * names in. TLC orders strings by when they were first interned; a thread named in a record
 * before its own first record (a closeandsetf's stale list) is interned early, and a ThreadProc
 * built on a domain array that an earlier function had sorted in place gave it another thread's
 * pid: a real-thread stress run was then rejected where a NOSHARE event was denied to a process
 * the spec took for its owner.
 */
class BatchConstantsTest {
    @Test
    void threadProcPairsEachThreadWithItsOwnPidWhateverTheInternOrder() {
        UniqueString.uniqueStringOf("1/bct-late");          // interned before "1/bct-early"
        List<TraceRecord> recs = List.of(
                new TraceRecord(0, "port_create", "bct-early", 1, 1,
                        Map.of("fd", 3, "max_events", 512, "ports", 1, "layer", "descriptors")),
                new TraceRecord(1, "fork", "bct-early", 1, 1, Map.of("child", 2, "fd", 3)),
                new TraceRecord(2, "port_alloc_event_local", "bct-late", 2, 1, Map.of("kev", 7, "curr", 1)),
                new TraceRecord(3, "port_send_event", "bct-late", 2, 1,
                        Map.of("kev", 7, "source", 3, "noshare", true, "nent", 1)),
                // bct-early lives on past bct-late's first record: two spec threads, not one
                // slot handed on (ThreadSlots)
                new TraceRecord(4, "port_getn", "bct-early", 1, 1, Map.of("next", "nget0", "kind", "getn")));
        Batch b = new Batch(Profile.ILLUMOS, 512, List.of(new Trace("t", Profile.ILLUMOS, 512, recs)));
        RecordValue c = (RecordValue) b.constants;
        FcnRcdValue threadProc = (FcnRcdValue) c.select(new StringValue("threadProc"));
        assertEquals(IntValue.gen(1001), threadProc.select(new StringValue("1/bct-early")));
        assertEquals(IntValue.gen(1002), threadProc.select(new StringValue("1/bct-late")));
        FcnRcdValue script = (FcnRcdValue) c.select(new StringValue("script"));
        Value early = script.select(new StringValue("1/bct-early"));
        assertEquals(0, ((tlc2.value.impl.TupleValue) early).size(), "bct-early starts no call");
    }
}
