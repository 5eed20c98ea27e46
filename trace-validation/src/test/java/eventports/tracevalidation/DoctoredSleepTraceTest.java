package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.PortException;
import eventports.kernel.Proc;
import eventports.kernel.Timeout;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static eventports.kernel.Ports.PORT_SOURCE_AIO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validator's teeth on the sleeps EventPort gained for trace validation: a count query
 * waiting for PORTQ_BLOCKED (port.c:1189-1209), port_dispatch sleeping on port_cv for a slot
 * (port_alloc_event_block, woken by a freed slot or interrupted), and an invalid timeout
 * found only after a fruitless scan (port.c:1530-1538), and which block sleeper a port_unblock
 * woke (FORMAT.md "blockwoke"). Genuine runs of the core are accepted; each doctored variant is
 * rejected at the record that betrays it. One TLC batch.
 */
class DoctoredSleepTraceTest {
    static List<TraceRecord> countRun;
    static List<TraceRecord> wakeRun;
    static List<TraceRecord> intrRun;
    static List<TraceRecord> invalRun;
    static List<TraceRecord> twoRun;
    static List<Verdict> verdicts;

    /** T1 holds PORTQ_BLOCKED in its delivery loop while T2's count query waits for it. */
    static List<TraceRecord> countQueryWaits() throws Exception {
        return Doctoring.run(Limits.ILLUMOS_DEFAULTS, (sched, p) -> {
            int fd = (int) sched.call("T0", p::portCreate, null).value();
            sched.call("T0", () -> {
                p.portSend(fd, 1, "a");
                p.portSend(fd, 2, "b");
                return 0;
            }, null);
            sched.call("T1", () -> p.portGetn(fd, 1, 1, null), "delivery");
            sched.call("T0", () -> {
                p.portSend(fd, 3, "c");
                return 0;
            }, null);
            assertFalse(sched.call("T2", () -> p.portGetn(fd, 0, 0, null), null).returned(), "the count waits");
            sched.await("T1");
            sched.await("T2");
        });
    }

    /** As countQueryWaits, with T3's count query asleep behind T2's: each port_unblock wakes the longest sleeper. */
    static List<TraceRecord> twoCountQueriesWait() throws Exception {
        return Doctoring.run(Limits.ILLUMOS_DEFAULTS, (sched, p) -> {
            int fd = (int) sched.call("T0", p::portCreate, null).value();
            sched.call("T0", () -> {
                p.portSend(fd, 1, "a");
                return 0;
            }, null);
            sched.call("T1", () -> p.portGetn(fd, 1, 1, null), "delivery");
            assertFalse(sched.call("T2", () -> p.portGetn(fd, 0, 0, null), null).returned(), "T2's count waits");
            assertFalse(sched.call("T3", () -> p.portGetn(fd, 0, 0, null), null).returned(), "T3's count waits");
            sched.await("T1");
            sched.await("T2");
            sched.await("T3");
        });
    }

    /** The record of the step whose port_unblock woke {@code thread}. */
    private static int wakerOf(List<TraceRecord> rs, String thread) {
        return Doctoring.indexOf(rs, x -> thread.equals(x.get("blockwoke")));
    }

    /** A one-slot port: T1's port_dispatch sleeps until T2 retrieves the queued event, or is interrupted. */
    static List<TraceRecord> dispatchSleeps(boolean interrupt) throws Exception {
        return Doctoring.run(Limits.ILLUMOS_DEFAULTS.withPortMaxEvents(1), (sched, p) -> {
            int fd = (int) sched.call("T0", p::portCreate, null).value();
            sched.call("T0", () -> {
                p.portSend(fd, 1, "a");
                return 0;
            }, null);
            assertFalse(sched.call("T1", () -> {
                p.portDispatch(fd, PORT_SOURCE_AIO, 1, 7, "d", false);
                return 0;
            }, null).returned(), "no slot: port_dispatch sleeps");
            if (interrupt) {
                sched.interrupt("T1");
            } else {
                sched.call("T2", () -> p.portGet(fd, Timeout.POLL), null);
            }
            sched.await("T1");
            sched.call("T2", () -> p.portGetn(fd, 4, 1, Timeout.POLL), null);
        });
    }

    /**
     * Another process's NOSHARE event is all the child can see: its first pass finds enough
     * events, collects none, and only then validates the (invalid) timeout.
     */
    static List<TraceRecord> invalidTimeoutAfterScan() throws Exception {
        return Doctoring.run(Limits.ILLUMOS_DEFAULTS, (sched, p) -> {
            int fd = (int) sched.call("T1", p::portCreate, null).value();
            Proc child = p.fork();
            sched.call("T1", () -> {
                p.portDispatch(fd, PORT_SOURCE_AIO, 1, 7, "d", true);
                return 0;
            }, null);
            Throwable err = sched.call("T2", () -> child.portGetn(fd, 4, 1, new Timeout(-1, 0)), null).error();
            assertTrue(err instanceof PortException, "EINVAL expected, got " + err);
            sched.call("T2", () -> child.portGetn(fd, 4, 1, Timeout.POLL), null);
        });
    }

    private static Predicate<TraceRecord> allocBlock(String r) {
        return x -> x.action().equals("port_alloc_event_block") && java.util.Objects.equals(r, x.get("r"));
    }

    private static int countWake(List<TraceRecord> rs) {
        return Doctoring.indexOf(rs, x -> x.action().equals("port_block") && x.get("count") != null);
    }

    private static int firstInvalidUnblock(List<TraceRecord> rs) {
        return Doctoring.indexOf(rs, x -> x.action().equals("port_unblock"));
    }

    @BeforeAll
    static void validateAll() throws Exception {
        countRun = countQueryWaits();
        wakeRun = dispatchSleeps(false);
        intrRun = dispatchSleeps(true);
        invalRun = invalidTimeoutAfterScan();
        twoRun = twoCountQueriesWait();

        // the woken count query reports one event more than the queue holds
        List<TraceRecord> countChanged = new ArrayList<>(countRun);
        int b = countWake(countRun);
        countChanged.set(b, Doctoring.with(countRun.get(b), "count", countRun.get(b).getInt("count") + 1));
        // the sleeper's wake-up moved before any slot was freed (no cv_signal on port_cv yet)
        List<TraceRecord> wokenEarly = new ArrayList<>(wakeRun);
        int w = Doctoring.indexOf(wakeRun, allocBlock("signal"));
        int copy = Doctoring.indexOf(wakeRun, x -> x.action().equals("port_copy_event"));
        wokenEarly.add(copy, wokenEarly.remove(w));
        // EINTR without the sleep it interrupts
        List<TraceRecord> intrAwake = new ArrayList<>(intrRun);
        intrAwake.remove(Doctoring.indexOf(intrRun, allocBlock(null)));
        // the call's timeout claimed valid: the engine would loop, not return to a new call
        List<TraceRecord> validClaimed = new ArrayList<>(invalRun);
        int g = Doctoring.indexOf(invalRun, x -> x.action().equals("port_getn") && "invalid".equals(x.get("to")));
        validClaimed.set(g, Doctoring.with(invalRun.get(g), "to", "pos"));

        // T1's port_unblock claimed to wake T3, asleep too, not T2; or T0, asleep nowhere
        int u = wakerOf(twoRun, "T2");
        List<TraceRecord> otherWoken = new ArrayList<>(twoRun);
        otherWoken.set(u, Doctoring.with(twoRun.get(u), "blockwoke", "T3"));
        List<TraceRecord> awakeWoken = new ArrayList<>(twoRun);
        awakeWoken.set(u, Doctoring.with(twoRun.get(u), "blockwoke", "T0"));

        List<List<TraceRecord>> all = List.of(countRun, wakeRun, intrRun, invalRun, twoRun, countChanged, wokenEarly,
                intrAwake, validClaimed, otherWoken, awakeWoken);
        List<String> names = List.of("count", "wake", "intr", "inval", "two", "countChanged", "wokenEarly", "intrAwake",
                "validClaimed", "otherWoken", "awakeWoken");
        // the sleeping dispatches ran with a one-slot port
        verdicts = Doctoring.validate(names, all, name -> name.startsWith("w") || name.startsWith("intr") ? 1
                : Limits.ILLUMOS_DEFAULTS.portMaxEvents());
    }

    @Test
    void theGenuineRunsAreBehavioursOfTheSpec() {
        for (int n = 0; n < 5; n++) {
            assertTrue(verdicts.get(n).accepted(), verdicts.get(n).report());
        }
        assertTrue(countRun.stream().anyMatch(x -> "count_wait".equals(x.get("next"))), "the count waited: " + countRun);
        assertTrue(wakeRun.stream().anyMatch(allocBlock("signal")), "the dispatch slept and was woken: " + wakeRun);
        assertTrue(intrRun.stream().anyMatch(allocBlock("intr")), "the dispatch was interrupted: " + intrRun);
    }

    @Test
    void aWokenCountQueryMustReportTheQueueLength() {
        Verdict v = verdicts.get(5);
        assertFalse(v.accepted(), "the count is portq_nent (port.c:1205)");
        assertEquals(countWake(countRun) + 1, v.firstRejected(), v.report());
    }

    @Test
    void aDispatchWokenBeforeASlotIsFreedIsRejected() {
        Verdict v = verdicts.get(6);
        assertFalse(v.accepted(), "only a freed slot signals port_cv");
        // the moved record now sits where the port_copy_event was
        assertEquals(Doctoring.indexOf(wakeRun, x -> x.action().equals("port_copy_event")) + 1, v.firstRejected(), v.report());
    }

    @Test
    void anInterruptWithoutASleepIsRejected() {
        Verdict v = verdicts.get(7);
        assertFalse(v.accepted(), "EINTR ends a sleep on port_cv");
        assertEquals(Doctoring.indexOf(intrRun, allocBlock("intr")), v.firstRejected(), v.report());
    }

    @Test
    void anInvalidTimeoutEndsTheCallAfterTheFruitlessScan() {
        Verdict v = verdicts.get(8);
        assertFalse(v.accepted(), "a valid timeout would make the engine retry, not return");
        // the next record, a new call of the same thread, is the first that cannot match
        assertEquals(firstInvalidUnblock(invalRun) + 2, v.firstRejected(), v.report());
    }

    @Test
    void eachPortUnblockNamesTheSleeperItWoke() {
        // T1 leaves the block to T2, T2 (its count done) to T3, the longest sleeper each time
        assertTrue(wakerOf(twoRun, "T2") >= 0 && twoRun.get(wakerOf(twoRun, "T2")).thread().equals("T1"), twoRun.toString());
        assertTrue(wakerOf(twoRun, "T3") > wakerOf(twoRun, "T2")
                && twoRun.get(wakerOf(twoRun, "T3")).thread().equals("T2"), twoRun.toString());
        assertTrue(countRun.stream().anyMatch(x -> "T2".equals(x.get("blockwoke"))), countRun.toString());
    }

    @Test
    void aPortUnblockNamingAnotherSleeperIsRejectedWhenTheWokenOneRuns() {
        Verdict v = verdicts.get(9);
        assertFalse(v.accepted(), "T2 takes the block without the wake-up the record gave T3");
        int taken = Doctoring.indexOf(twoRun, x -> x.thread().equals("T2") && x.action().equals("port_block"));
        assertEquals(taken + 1, v.firstRejected(), v.report());
    }

    @Test
    void aPortUnblockNamingAThreadNotAsleepIsRejectedAtOnce() {
        Verdict v = verdicts.get(10);
        assertFalse(v.accepted(), "T0 sleeps on no portq_block_cv");
        assertEquals(wakerOf(twoRun, "T2") + 1, v.firstRejected(), v.report());
    }
}
