package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.Proc;
import eventports.kernel.Timeout;
import eventports.sources.TimerSource;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validator's teeth on the TIMER source (one SCACHED slot per timer, owner-only delivery,
 * overruns counted while the event is pending, the slot freed when the owner closes the port):
 * a genuine run is accepted; a delivery to another process, an overrun counted after the
 * event was delivered, and a dropped timer that keeps its slot are each rejected at the record
 * that betrays them. One TLC batch.
 */
class DoctoredTimerTraceTest {
    static List<TraceRecord> genuine;
    static List<Verdict> verdicts;

    /**
     * The parent's timer expires; the child's retrieval is denied; a second expiry is an
     * overrun; the parent retrieves the event; a third expiry sends it again; the parent closes
     * the port (per-process: its timer's slot is taken back and freed), then the child.
     */
    static List<TraceRecord> run() throws Exception {
        return Doctoring.run(Limits.ILLUMOS_DEFAULTS, (sched, p) -> {
            int fd = (int) sched.call("T1", p::portCreate, null).value();
            Proc child = p.fork();
            int id = (int) sched.call("T1", () -> TimerSource.timerCreate(p, fd, "t"), null).value();
            java.util.concurrent.Callable<Object> expire = () -> {
                TimerSource.timerExpire(p, id);
                return 0;
            };
            sched.call("D", expire, null);
            assertEquals(0, ((eventports.kernel.GetnResult) sched.call("T2",
                    () -> child.portGetn(fd, 4, 1, Timeout.POLL), null).value()).events().size(), "denied to the child");
            sched.call("D", expire, null);
            assertEquals(1, ((eventports.kernel.GetnResult) sched.call("T1",
                    () -> p.portGetn(fd, 4, 1, Timeout.POLL), null).value()).events().size(), "the owner's");
            sched.call("D", expire, null);
            sched.call("T1", () -> {
                p.close(fd);
                return 0;
            }, null);
            sched.call("T2", () -> {
                child.close(fd);
                return 0;
            }, null);
        });
    }

    private static int deny(List<TraceRecord> rs) {
        return Doctoring.indexOf(rs, r -> r.action().equals("port_copy_event") && "deny".equals(r.get("outcome")));
    }

    /** The port_unblock of the owner's retrieval (the first one that delivered). */
    private static int ownerUnblock(List<TraceRecord> rs) {
        return Doctoring.indexOf(rs, r -> r.action().equals("port_unblock") && r.getInt("delivered") == 1);
    }

    @BeforeAll
    static void validateAll() throws Exception {
        genuine = run();
        // the child receives the parent's timer event
        List<TraceRecord> toChild = new ArrayList<>(genuine);
        int d = deny(genuine);
        toChild.set(d, Doctoring.with(genuine.get(d), "outcome", "deliver"));
        // an overrun counted although the event was just delivered (nothing pending)
        List<TraceRecord> lateOverrun = new ArrayList<>(genuine);
        int o = Doctoring.indexOf(genuine, r -> r.action().equals("timer_fire") && r.getInt("pending") == 2);
        lateOverrun.add(ownerUnblock(genuine) + 1, genuine.get(o));
        // the timer's slot is never freed when the owner closes the port
        List<TraceRecord> slotKept = new ArrayList<>(genuine);
        slotKept.remove(Doctoring.indexOf(genuine, Doctoring.action("port_free_event")));

        List<List<TraceRecord>> all = List.of(genuine, toChild, lateOverrun, slotKept);
        List<String> names = List.of("genuine", "toChild", "lateOverrun", "slotKept");
        verdicts = Doctoring.validate(names, all);
    }

    @Test
    void theGenuineRunIsABehaviourOfTheSpec() {
        assertTrue(verdicts.get(0).accepted(), verdicts.get(0).report());
        for (String a : List.of("timer_create", "timer_fire", "timer_port_callback", "timer_close_port",
                "port_remove_done_event", "port_free_event")) {
            assertTrue(genuine.stream().anyMatch(Doctoring.action(a)), "the run exercises " + a + ": " + genuine);
        }
    }

    @Test
    void aTimerEventDeliveredToAnotherProcessIsRejected() {
        Verdict v = verdicts.get(1);
        assertFalse(v.accepted(), "timer_port_callback denies other processes");
        assertEquals(deny(genuine) + 1, v.firstRejected(), v.report());
    }

    @Test
    void anOverrunWithNothingPendingIsRejected() {
        Verdict v = verdicts.get(2);
        assertFalse(v.accepted(), "an expiry after delivery sends the slot again (pending 1)");
        assertEquals(ownerUnblock(genuine) + 2, v.firstRejected(), v.report());
    }

    @Test
    void aDroppedTimerThatKeepsItsSlotIsRejected() {
        Verdict v = verdicts.get(3);
        assertFalse(v.accepted(), "the closer cannot go on while the timer holds its slot");
        // the closer's next record (its port_discard_events) moved up by one
        assertEquals(Doctoring.indexOf(genuine, Doctoring.action("port_discard_events")), v.firstRejected(), v.report());
    }
}
