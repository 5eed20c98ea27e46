package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.Proc;
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
 * The validator's teeth against doctored traces: a genuine trace of the core is accepted, and
 * the same trace with one record dropped, duplicated, swapped with its neighbour, or with one
 * value changed is rejected, naming the first record no behaviour can match. All variants go
 * to TLC in one batch.
 */
class DoctoredTraceTest {
    static List<TraceRecord> genuine;
    static List<Verdict> verdicts;
    static final List<String> NAMES = List.of("genuine", "dropped", "duplicated", "swapped", "changed");

    /** A waiter woken by a send, a deferred wake-up through a paused retriever, and a close. */
    static List<TraceRecord> run() throws Exception {
        return Doctoring.run(Limits.ILLUMOS_DEFAULTS, (sched, p) -> {
            int fd = (int) sched.call("T0", p::portCreate, null).value();
            sched.call("T1", () -> p.portGet(fd, null), null);
            sched.call("T0", () -> {
                p.portSend(fd, 1, "a");
                p.portSend(fd, 2, "b");
                return 0;
            }, null);
            sched.call("T2", () -> p.portGetn(fd, 4, 1, Timeout.POLL), "delivery");
            sched.await("T1");
            sched.await("T2");
            sched.call("T0", () -> {
                p.close(fd);
                return 0;
            }, null);
        });
    }

    private static int indexOf(List<TraceRecord> rs, String action) {
        return Doctoring.indexOf(rs, Doctoring.action(action));
    }

    @BeforeAll
    static void validateAll() throws Exception {
        genuine = run();
        List<TraceRecord> dropped = new ArrayList<>(genuine);
        dropped.remove(indexOf(genuine, "port_send_event"));
        List<TraceRecord> duplicated = new ArrayList<>(genuine);
        int q = indexOf(genuine, "port_queue_thread");
        duplicated.add(q, genuine.get(q));
        List<TraceRecord> swapped = new ArrayList<>(genuine);
        int c = indexOf(genuine, "port_copy_event");
        swapped.set(c, genuine.get(c + 1));
        swapped.set(c + 1, genuine.get(c));
        List<TraceRecord> changed = new ArrayList<>(genuine);
        int u = indexOf(genuine, "port_unblock");
        changed.set(u, Doctoring.with(genuine.get(u), "delivered", genuine.get(u).getInt("delivered") + 1));
        verdicts = Doctoring.validate(NAMES, List.of(genuine, dropped, duplicated, swapped, changed));
    }

    @Test
    void theGenuineTraceIsABehaviourOfTheSpec() {
        assertTrue(verdicts.get(0).accepted(), verdicts.get(0).report());
        assertTrue(genuine.size() >= 12, "the program exercises a real interleaving: " + genuine.size() + " records");
    }

    @Test
    void aDroppedSendIsRejected() {
        Verdict v = verdicts.get(1);
        assertFalse(v.accepted(), "dropping a port_send_event record must be caught");
        assertTrue(v.report().contains("REJECT dropped: record"), v.report());
    }

    @Test
    void aDuplicatedRecordIsRejected() {
        assertFalse(verdicts.get(2).accepted(), "a duplicated port_queue_thread record must be caught");
    }

    @Test
    void swappedDeliveriesAreRejected() {
        Verdict v = verdicts.get(3);
        assertFalse(v.accepted(), "delivering the queue out of order must be caught");
        assertEquals(indexOf(genuine, "port_copy_event") + 1, v.firstRejected(),
                "the first swapped record is the first one no behaviour matches: " + v.report());
    }

    @Test
    void aChangedCountIsRejectedWithTheStateAndEnabledActions() {
        Verdict v = verdicts.get(4);
        assertFalse(v.accepted(), "a port_unblock that claims one event more must be caught");
        assertEquals(indexOf(genuine, "port_unblock") + 1, v.firstRejected(), v.report());
        assertFalse(v.statesBefore().isEmpty(), "the report shows the spec state before the record");
        assertTrue(v.enabledActions().contains("port_unblock"), "port_unblock is enabled there: " + v.report());
    }
}
