package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.Proc;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validator's teeth on the descriptor layer (EventPort's FdLayer: closeandsetf, the drain,
 * dup): a genuine run with the layer on is accepted; a close that does not list the waiter it
 * evicts, a close that skips closeandsetf, a port_close before the evicted waiter has left, an
 * evicted waiter that reports a wake-up instead of the interruption, and a close whose dup
 * record is missing (so that it looks like the last) are each rejected. One TLC batch.
 */
class DoctoredLayerTraceTest {
    static List<TraceRecord> genuine;
    static List<Verdict> verdicts;

    /**
     * T1 waits on the port; T0 dups it, closes the original (a per-process close, which evicts
     * T1: it waits on that descriptor), then closes the dup (the last close).
     */
    static List<TraceRecord> run() throws Exception {
        return Doctoring.run(Limits.ILLUMOS_DEFAULTS, (sched, p) -> {
            int fd = (int) sched.call("T0", p::portCreate, null).value();
            int dup = (int) sched.call("T0", () -> p.dup(fd), null).value();
            sched.call("T1", () -> p.portGet(fd, null), null);
            sched.call("T0", () -> {
                p.close(fd);
                return 0;
            }, null);
            sched.await("T1");
            sched.await("T0");
            sched.call("T0", () -> {
                p.close(dup);
                return 0;
            }, null);
        });
    }

    private static int closeandsetf(List<TraceRecord> rs) {
        return Doctoring.indexOf(rs, Doctoring.action("closeandsetf"));
    }

    @BeforeAll
    static void validateAll() throws Exception {
        genuine = run();
        // the closer does not name the waiter it evicts
        List<TraceRecord> unlisted = new ArrayList<>(genuine);
        int c = closeandsetf(genuine);
        unlisted.set(c, Doctoring.with(genuine.get(c), "stale", List.of()));
        // the close skips the descriptor layer's first step
        List<TraceRecord> noEviction = new ArrayList<>(genuine);
        noEviction.remove(c);
        // port_close runs before the evicted waiter has left (no drain)
        List<TraceRecord> noDrain = new ArrayList<>(genuine);
        int close = Doctoring.indexOf(genuine, Doctoring.action("port_close"));
        TraceRecord pc = noDrain.remove(close);
        noDrain.add(c + 1, pc);
        // the evicted waiter's wait ends with a wake-up (MUSTRETURN makes it 0: "intr")
        List<TraceRecord> woken = new ArrayList<>(genuine);
        int w = Doctoring.indexOf(genuine, Doctoring.action("cv_waituntil_sig"));
        woken.set(w, Doctoring.with(genuine.get(w), "r", "signal"));
        // the dup is not recorded: the first close would be the last
        List<TraceRecord> noDup = new ArrayList<>(genuine);
        noDup.remove(Doctoring.indexOf(genuine, Doctoring.action("dup")));

        verdicts = Doctoring.validate(List.of("genuine", "unlisted", "noEviction", "noDrain", "woken", "noDup"),
                List.of(genuine, unlisted, noEviction, noDrain, woken, noDup));
    }

    @Test
    void theGenuineRunIsABehaviourOfTheSpec() {
        assertTrue(verdicts.get(0).accepted(), verdicts.get(0).report());
        for (String a : List.of("dup", "closeandsetf", "port_close", "port_discard_events", "cv_waituntil_sig")) {
            assertTrue(genuine.stream().anyMatch(Doctoring.action(a)), "the run exercises " + a + ": " + genuine);
        }
        assertEquals("descriptors", genuine.get(0).get("layer"), "the run has the descriptor layer on");
    }

    @Test
    void aCloseThatDoesNotNameTheWaiterItEvictsIsRejected() {
        Verdict v = verdicts.get(1);
        assertFalse(v.accepted(), "every thread in a call on the descriptor is stale");
        assertEquals(closeandsetf(genuine) + 1, v.firstRejected(), v.report());
    }

    @Test
    void aCloseWithoutCloseandsetfIsRejected() {
        Verdict v = verdicts.get(2);
        assertFalse(v.accepted(), "with the descriptor layer port_close starts from closeandsetf's drain");
        // the port_close record, one place earlier than in the genuine run
        assertEquals(Doctoring.indexOf(genuine, Doctoring.action("port_close")), v.firstRejected(), v.report());
    }

    @Test
    void aPortCloseBeforeTheDrainIsRejected() {
        Verdict v = verdicts.get(3);
        assertFalse(v.accepted(), "port_close waits until the evicted waiter has left");
        assertEquals(closeandsetf(genuine) + 2, v.firstRejected(), v.report());
    }

    @Test
    void anEvictedWaiterThatReportsAWakeUpIsRejected() {
        Verdict v = verdicts.get(4);
        assertFalse(v.accepted(), "a stale sleeper's wait returns 0 (intr)");
        assertEquals(Doctoring.indexOf(genuine, Doctoring.action("cv_waituntil_sig")) + 1, v.firstRejected(),
                v.report());
    }

    @Test
    void aMissingDupMakesThePerProcessCloseALastOneAndIsRejected() {
        Verdict v = verdicts.get(5);
        assertFalse(v.accepted(), "without the dup the port has one descriptor: its close is the last");
    }
}
