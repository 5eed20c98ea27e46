package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.Timeout;
import eventports.sources.FileObject;
import eventports.sources.SimFs;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static eventports.kernel.Ports.PORT_SOURCE_FILE;
import static eventports.sources.FileWatchSource.FILE_MODIFIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validator's teeth against doctored traces of the FILE source (a watch's slot validated as
 * an FD association, an exception event's as a non-shareable one): a genuine run is accepted;
 * a watch that fires twice for one arming, a watch whose slot is never freed, a dissociation
 * claimed by a process that is not the watch's and an exception event handed to another
 * process are each rejected at the record that betrays them.
 */
class DoctoredFileTraceTest {
    static List<TraceRecord> genuine;
    static List<Verdict> verdicts;

    /**
     * A watch fires on a write and is delivered; re-associated, its event is queued and taken
     * back by a dissociation; a second watch is armed and the file removed (FILE_DELETE in a
     * DEFAULT slot), which the owner retrieves.
     */
    static List<TraceRecord> run() throws Exception {
        FileObject fo = new FileObject("/d/f");
        FileObject fe = new FileObject("/d/f");
        return Doctoring.run(Limits.ILLUMOS_DEFAULTS, (sched, p) -> {
            Object n = sched.call("T1", () -> {
                SimFs fs = SimFs.of(p.sys());
                int port = p.portCreate();
                fs.mkdir("/d");
                fs.create("/d/f");
                p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), FILE_MODIFIED, "w");
                fs.write("/d/f");
                int got = p.portGetn(port, 8, 1, Timeout.POLL).nget();
                p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), FILE_MODIFIED, "w");
                fs.write("/d/f");
                p.portDissociate(port, PORT_SOURCE_FILE, fo.address());   // queued: 0, taken back
                p.portAssociate(port, PORT_SOURCE_FILE, fe.address(), FILE_MODIFIED, "e");
                fs.unlink("/d/f");
                return got + p.portGetn(port, 8, 1, Timeout.POLL).nget();
            }, null).value();
            assertEquals(2, n, "the write's event, then the exception event");
        });
    }

    @BeforeAll
    static void validateAll() throws Exception {
        genuine = run();
        // the first firing is recorded twice: one arming, two events
        List<TraceRecord> firedTwice = new ArrayList<>(genuine);
        int f = Doctoring.indexOf(genuine, Doctoring.action("port_fop_sendevent"), 0);
        firedTwice.add(f + 2, genuine.get(f));
        firedTwice.add(f + 3, genuine.get(f + 1));
        // the first watch's slot is never freed
        List<TraceRecord> slotKept = new ArrayList<>(genuine);
        slotKept.remove(Doctoring.indexOf(genuine, Doctoring.action("port_pcache_remove_fop"), 0));
        // the dissociation is claimed by another process
        List<TraceRecord> notOwner = new ArrayList<>(genuine);
        int d = Doctoring.indexOf(genuine, Doctoring.action("port_dissociate_fop"), 0);
        TraceRecord dis = genuine.get(d);
        notOwner.set(d, new TraceRecord(dis.seq(), dis.action(), dis.thread(), dis.pid() + 1, dis.port(), dis.fields()));
        // the exception event is denied to its owner (a port_fop_callback EACCES before its copy)
        List<TraceRecord> deniedOwner = new ArrayList<>(genuine);
        int c = lastCopy(genuine);
        TraceRecord copy = genuine.get(c);
        java.util.Map<String, Object> cb = new java.util.LinkedHashMap<>();
        cb.put("object", 0L);
        cb.put("kev", copy.get("kev"));
        cb.put("owner", copy.pid());
        cb.put("error", "EACCES");
        deniedOwner.add(c, new TraceRecord(copy.seq(), "port_fop_callback", copy.thread(), copy.pid(), copy.port(), cb));
        verdicts = Doctoring.validate(List.of("genuine", "firedTwice", "slotKept", "notOwner", "deniedOwner"),
                List.of(genuine, firedTwice, slotKept, notOwner, deniedOwner));
    }

    private static int lastCopy(List<TraceRecord> rs) {
        int c = rs.size() - 1;
        while (!rs.get(c).action().equals("port_copy_event")) {
            c--;
        }
        return c;
    }

    @Test
    void theGenuineRunIsABehaviourOfTheSpec() {
        assertTrue(verdicts.get(0).accepted(), verdicts.get(0).report());
        for (String a : List.of("port_associate_fop", "port_fop_sendevent", "port_remove_fop", "port_pcache_remove_fop",
                "port_dissociate_fop", "port_fop_excep")) {
            assertTrue(genuine.stream().anyMatch(Doctoring.action(a)), "the run exercises " + a + ": " + genuine);
        }
    }

    @Test
    void aWatchFiringTwiceForOneArmingIsRejected() {
        Verdict v = verdicts.get(1);
        assertFalse(v.accepted(), "one event per association (port_fop.c: one-shot)");
        assertEquals(Doctoring.indexOf(genuine, Doctoring.action("port_fop_sendevent"), 0) + 3, v.firstRejected(),
                v.report());
    }

    @Test
    void aWatchThatKeepsItsSlotIsRejected() {
        Verdict v = verdicts.get(2);
        assertFalse(v.accepted(), "port_dissociate_fop must find the watch gone");
        assertEquals(Doctoring.indexOf(genuine, Doctoring.action("port_dissociate_fop"), 0), v.firstRejected(),
                v.report());
    }

    @Test
    void aDissociationByAnotherProcessIsRejected() {
        Verdict v = verdicts.get(3);
        assertFalse(v.accepted(), "watches are per process");
        assertEquals(Doctoring.indexOf(genuine, Doctoring.action("port_dissociate_fop"), 0) + 1, v.firstRejected(),
                v.report());
    }

    @Test
    void anExceptionEventDeniedToItsOwnerIsRejected() {
        Verdict v = verdicts.get(4);
        assertFalse(v.accepted(), "port_fop_callback denies only other processes");
        assertEquals(lastCopy(genuine) + 1, v.firstRejected(), v.report());
    }
}
