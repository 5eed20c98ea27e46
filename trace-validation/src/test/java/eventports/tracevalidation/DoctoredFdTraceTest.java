package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.PollEvents;
import eventports.kernel.PollObject;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.Timeout;
import eventports.sched.RealSched;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static eventports.kernel.Ports.PORT_SOURCE_FD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validator's teeth against doctored traces of the FD source (EventPort's FD association
 * state machine): a genuine run is accepted; a re-association that leaves the fired event
 * queued, a second firing of one arming, an event delivered twice, a dissociation by a
 * process that is not the owner and an association that never gives its slot back are each
 * rejected at the record that betrays them. All variants go to TLC in one batch.
 */
class DoctoredFdTraceTest {
    static List<TraceRecord> genuine;
    static List<Verdict> verdicts;
    static int childPid;

    /**
     * The parent associates a descriptor opened after fork (so the child may not take its
     * events), the object fires, the child's retrieval is denied, the parent re-associates
     * (taking the queued event back), it fires again, the parent retrieves it, dissociates, and
     * closes the port. The object stays ready, so the re-association's own poll fires it.
     */
    static List<TraceRecord> run() throws Exception {
        MemorySink sink = new MemorySink();
        PortSystem sys = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS, new RealSched(), sink);
        Proc p = sys.spawn();
        int port = p.portCreate();
        Proc child = p.fork();
        childPid = child.pid;
        int fd = p.fdOpen();
        PollObject obj = (PollObject) p.file(fd).vnode();
        p.portAssociate(port, PORT_SOURCE_FD, fd, PollEvents.POLLIN, "u");
        obj.fdReady(PollEvents.POLLIN);
        // the child's calls run on a thread of their own: a trace thread belongs to one process
        assertEquals(0, (int) inThread("child", () -> child.portGetn(port, 4, 1, Timeout.POLL).events().size()),
                "denied to the child");
        p.portAssociate(port, PORT_SOURCE_FD, fd, PollEvents.POLLIN, "v");
        obj.fdReady(PollEvents.POLLIN);                    // disarmed by then: no second event
        assertEquals(1, p.portGetn(port, 4, 1, Timeout.POLL).events().size());
        try {
            p.portDissociate(port, PORT_SOURCE_FD, fd);   // delivered, not re-armed: ENOENT, still removed
        } catch (eventports.kernel.PortException expected) {
            // the association is removed all the same
        }
        inThread("child", () -> {
            child.close(port);
            return 0;
        });
        p.close(port);
        return sink.records();
    }

    private static <T> T inThread(String name, java.util.concurrent.Callable<T> body) throws Exception {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(body);
        Thread t = new Thread(task, name);
        t.start();
        t.join();
        return task.get();
    }

    /** The re-association's port_associate_fd record (the arming step, reassoc true). */
    private static int reassociation(List<TraceRecord> rs) {
        return Doctoring.indexOf(rs, r -> r.action().equals("port_associate_fd") && Boolean.TRUE.equals(r.get("reassoc")), 0);
    }

    /** The object is still ready when re-associated: the call's own VOP_POLL fires it (poll true). */
    private static int secondFiring(List<TraceRecord> rs) {
        int w = Doctoring.indexOf(rs, r -> r.action().equals("port_associate_fd") && Boolean.TRUE.equals(r.get("poll")), 0);
        assertEquals("port_send_event", rs.get(w + 1).action(), "a firing is followed by its send");
        return w;
    }

    @BeforeAll
    static void validateAll() throws Exception {
        genuine = run();
        // a re-association that does not take the queued event back
        List<TraceRecord> keptQueued = new ArrayList<>(genuine);
        keptQueued.remove(reassociation(genuine) - 1);
        // the second arming fires twice
        List<TraceRecord> firedTwice = new ArrayList<>(genuine);
        int w = secondFiring(genuine);
        firedTwice.add(w + 2, genuine.get(w));
        // the parent's retrieval delivers the event twice
        List<TraceRecord> deliveredTwice = new ArrayList<>(genuine);
        int d = Doctoring.indexOf(genuine, r -> r.action().equals("port_copy_event") && "deliver".equals(r.get("outcome")), 0);
        deliveredTwice.add(d, genuine.get(d));
        // the child dissociates the parent's association
        List<TraceRecord> notOwner = new ArrayList<>(genuine);
        int x = Doctoring.indexOf(genuine, Doctoring.action("port_dissociate_fd"), 0);
        TraceRecord dis = genuine.get(x);
        notOwner.set(x, new TraceRecord(dis.seq(), dis.action(), dis.thread(), childPid, dis.port(), dis.fields()));
        // the association's slot is never freed
        List<TraceRecord> slotKept = new ArrayList<>(genuine);
        slotKept.remove(Doctoring.indexOf(genuine, Doctoring.action("port_remove_fd_object"), 0));

        List<List<TraceRecord>> all = List.of(genuine, keptQueued, firedTwice, deliveredTwice, notOwner, slotKept);
        List<String> names = List.of("genuine", "keptQueued", "firedTwice", "deliveredTwice", "notOwner", "slotKept");
        verdicts = Doctoring.validate(names, all);
    }

    @Test
    void theGenuineRunIsABehaviourOfTheSpec() {
        assertTrue(verdicts.get(0).accepted(), verdicts.get(0).report());
        for (String a : List.of("port_associate_fd", "pollwakeup", "port_fd_callback", "port_remove_done_event",
                "port_remove_fd_object", "port_dissociate_fd", "port_close_sourcefd")) {
            assertTrue(genuine.stream().anyMatch(Doctoring.action(a)), "the run exercises " + a + ": " + genuine);
        }
    }

    @Test
    void aReassociationThatLeavesTheEventQueuedIsRejected() {
        Verdict v = verdicts.get(1);
        assertFalse(v.accepted(), "re-arming with the fired event still queued must be caught");
        // indices in the doctored trace: the re-association moved up by one
        assertEquals(reassociation(genuine), v.firstRejected(), v.report());
    }

    @Test
    void aSecondFiringOfOneArmingIsRejected() {
        Verdict v = verdicts.get(2);
        assertFalse(v.accepted(), "one event per arming (port.c:162-164)");
        assertEquals(secondFiring(genuine) + 3, v.firstRejected(), v.report());
    }

    @Test
    void anEventDeliveredTwiceIsRejected() {
        Verdict v = verdicts.get(3);
        assertFalse(v.accepted(), "the CACHED slot's event is collected once");
        assertEquals(Doctoring.indexOf(genuine, r -> r.action().equals("port_copy_event")
                && "deliver".equals(r.get("outcome")), 0) + 2, v.firstRejected(), v.report());
    }

    @Test
    void aDissociationByAnotherProcessIsRejected() {
        Verdict v = verdicts.get(4);
        assertFalse(v.accepted(), "only the owner may dissociate (port.c:225-228)");
        assertEquals(Doctoring.indexOf(genuine, Doctoring.action("port_dissociate_fd"), 0) + 1, v.firstRejected(), v.report());
    }

    @Test
    void anAssociationThatKeepsItsSlotIsRejected() {
        Verdict v = verdicts.get(5);
        assertFalse(v.accepted(), "port_dissociate_fd must find the association removed");
        assertEquals(Doctoring.indexOf(genuine, Doctoring.action("port_dissociate_fd"), 0), v.firstRejected(), v.report());
    }
}
