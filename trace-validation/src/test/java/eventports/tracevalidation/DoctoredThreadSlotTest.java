package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.Timeout;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validator's teeth on thread slots (ThreadSlots): a thread whose records are over hands its
 * spec thread to a later one, of any process, which is accepted only if the slot is between
 * calls. A genuine run of short-lived threads is accepted on fewer spec threads than it has
 * threads; the run with a retriever's last record given to a new thread (the retriever stops
 * mid-call, the new thread's one record would finish that call) is rejected at that record, and
 * a hand-over in the middle of a call (a recycle_thread record where the loader would put one)
 * is rejected at the hand-over.
 */
class DoctoredThreadSlotTest {
    static List<TraceRecord> run;
    static List<Verdict> verdicts;

    /**
     * T0 sends; G1 and G2 (pid 1), then C1 (a forked child's thread), one after another, each
     * retrieve one event and are done.
     */
    static List<TraceRecord> shortLivedGetters() throws Exception {
        return Doctoring.run(Limits.ILLUMOS_DEFAULTS, (sched, p) -> {
            int fd = (int) sched.call("T0", p::portCreate, null).value();
            Proc child = (Proc) sched.call("T0", p::fork, null).value();
            for (int g = 1; g <= 3; g++) {
                int n = g;
                sched.call("T0", () -> {
                    p.portSend(fd, n, "e" + n);
                    return 0;
                }, null);
                Proc who = g < 3 ? p : child;
                sched.call(g < 3 ? "G" + g : "C1", () -> who.portGetn(fd, 1, 1, Timeout.POLL), null);
            }
        });
    }

    static int seqOf(List<TraceRecord> rs, String thread, String action) {
        for (TraceRecord r : rs) {
            if (r.thread().equals(thread) && r.action().equals(action)) {
                return (int) r.seq();
            }
        }
        throw new AssertionError(thread + " " + action + " not in " + rs);
    }

    @BeforeAll
    static void validate() throws Exception {
        run = shortLivedGetters();
        List<TraceRecord> handed = new ArrayList<>();
        int unblock = seqOf(run, "G1", "port_unblock");
        for (TraceRecord r : run) {
            handed.add(r.seq() == unblock
                    ? new TraceRecord(r.seq(), r.action(), "Gx", r.pid(), r.port(), r.fields()) : r);
        }
        // the loader's hand-over made by hand in the middle of G1's call: the spec refuses it
        List<TraceRecord> midCall = new ArrayList<>();
        for (TraceRecord r : run) {
            if (r.seq() == unblock) {
                midCall.add(new TraceRecord(r.seq(), "recycle_thread", "G1", 1, r.port(), java.util.Map.of()));
            }
            midCall.add(r);
        }
        verdicts = Doctoring.validate(List.of("genuine", "handed", "midCall"), List.of(run, handed, midCall));
    }

    @Test
    void laterThreadsOfAnyProcessTakeOverFinishedThreadsSlots() {
        List<TraceRecord> rs = Trace.onePidPerThread(run);
        Slots sl = new Slots(rs);
        ThreadSlots ts = new ThreadSlots(sl.records, sl.origin);
        java.util.Set<String> threads = new java.util.TreeSet<>();
        List<Integer> recycledPids = new ArrayList<>();
        for (TraceRecord r : ts.records) {
            threads.add(r.thread());
            if (r.action().equals("recycle_thread")) {
                recycledPids.add(r.pid());
            }
        }
        // the fork record's pseudo-thread is over first: G1 and G2 take its slot over; T0's
        // records are over by C1's first, and C1 takes T0's (the slot freed last)
        assertEquals(java.util.Set.of("T0", "fork@1"), threads, "G1, G2 and C1 run on the two slots");
        assertEquals(List.of(1, 1, 2), recycledPids, "G1, G2 (pid 1), then the child's C1 (pid 2)");
        Batch b = new Batch(Profile.ILLUMOS, 512, List.of(new Trace("t", Profile.ILLUMOS, 512, rs)));
        tlc2.value.impl.RecordValue c = (tlc2.value.impl.RecordValue) b.constants;
        tlc2.value.impl.FcnRcdValue procAt =
                (tlc2.value.impl.FcnRcdValue) c.select(new tlc2.value.impl.StringValue("procAt"));
        assertEquals("<<1001, 1001, 1001>>", procAt.select(new tlc2.value.impl.StringValue("1/fork@1")).toString(),
                "fork@1's slot makes G1's call and G2's");
        assertEquals("<<1002, 1002>>", procAt.select(new tlc2.value.impl.StringValue("1/T0")).toString(),
                "T0's slot makes C1's call, as the child (pid 2)");
    }

    @Test
    void aRunOfShortLivedThreadsIsAccepted() {
        assertTrue(verdicts.get(0).accepted(), verdicts.get(0).toString());
    }

    @Test
    void aSlotIsNotHandedOnMidCall() {
        Verdict v = verdicts.get(2);
        assertFalse(v.accepted(), "G1 is in port_getn");
        assertTrue(v.rejectedRecord().contains("recycle_thread"), v.toString());
    }

    @Test
    void aThreadCannotTakeOverASlotMidCall() {
        Verdict v = verdicts.get(1);
        assertFalse(v.accepted(), "Gx would finish G1's call");
        assertTrue(v.rejectedRecord().contains("\"thread\":\"Gx\"") && v.rejectedRecord().contains("port_unblock"), v.toString());
    }

    private static TraceRecord rec(String action, Object... kv) {
        return Doctoring.record(0, action, "T", 1, kv);
    }

    @Test
    void aCallEndsWhereTheSpecReturnsFromIt() {
        // a per-process close that found the block free, or took it after a sleep, is over
        assertFalse(ThreadSlots.leavesInCall(rec("port_discard_events", "blocked", false, "marked", List.of())));
        assertFalse(ThreadSlots.leavesInCall(rec("port_block", "taken", true, "marked", List.of(3))));
        // so is a count query that took the block after a sleep
        assertFalse(ThreadSlots.leavesInCall(rec("port_block", "taken", true, "count", 0)));
        // a close or a count asleep for the block, a retriever that took it, a sleeper woken too soon: not over
        assertTrue(ThreadSlots.leavesInCall(rec("port_discard_events", "blocked", true)));
        assertTrue(ThreadSlots.leavesInCall(rec("port_getn", "next", "count_wait")));
        assertTrue(ThreadSlots.leavesInCall(rec("port_block", "taken", true, "tnent", 2, "nmax", 2, "getn", 1)));
        assertTrue(ThreadSlots.leavesInCall(rec("port_block", "taken", false)));
        assertFalse(ThreadSlots.leavesInCall(rec("port_unblock", "delivered", 1, "closing", false)));
        // a pass that delivered nothing may be followed by the call's next pass (port.c:1530-1558)
        assertTrue(ThreadSlots.leavesInCall(rec("port_unblock", "delivered", 0, "closing", false)));
        assertFalse(ThreadSlots.leavesInCall(rec("port_unblock", "delivered", 0, "lost", 2, "closing", true)));
    }
}
