package eventports.kernel;

import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the core writes a checkpoint (trace-validation/FORMAT.md, "checkpoint"): once
 * {@code eventports.trace.checkpoint} records of the port have been written since its last one,
 * and only at a quiet moment, which excludes a CACHED slot on the queue (an FD association's
 * event: the association outlives the checkpoint, which cannot state it). TLC accepts a
 * checkpoint written too often, and one that lists a queued FD event as a plain event, so
 * these rules are pinned here (issue 19: PortCheckpoint:50 and :69 survived mutation).
 */
class CheckpointRulesTest {

    @Test
    void aCheckpointFollowsAtLeastTheIntervalsRecordsOfItsPort() throws Exception {
        int every = 7;
        List<TraceRecord> rs = traced(every, d -> {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            for (int i = 0; i < 12; i++) {
                d.sendUsers(p, fd, "a" + i, "b" + i);        // a backlog: checkpoints list queued events
                d.now("G", () -> p.portGetn(fd, 1, 1, Timeout.POLL));
            }
            return 0;
        });
        int port = rs.get(0).port();
        int since = -1;
        int checkpoints = 0;
        for (TraceRecord r : rs) {
            if (r.action().equals("checkpoint")) {
                assertTrue(since < 0 || since >= every, "a checkpoint " + since + " records after the last one");
                since = 0;
                checkpoints++;
            } else if (since >= 0 && r.port() == port) {
                since++;
            }
        }
        assertTrue(checkpoints >= 2, "the run is long enough for two checkpoints: " + checkpoints);
        assertTrue(rs.stream().anyMatch(r -> r.action().equals("checkpoint") && !((List<?>) r.get("queue")).isEmpty()),
                "a quiet port with USER events queued is checkpointed");
    }

    @Test
    void noCheckpointWhileAnFdEventIsQueued() throws Exception {
        List<TraceRecord> rs = traced(1, d -> {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            int obj = p.fdOpen();
            d.now("S", () -> {
                p.portAssociate(fd, Ports.PORT_SOURCE_FD, obj, PollEvents.POLLIN, "fd");
                return 0;
            });
            ((PollObject) p.file(obj).vnode()).fdReady(PollEvents.POLLIN);
            // quiet by the counts (curr 1 = nent 1, no thread, no flag): only the CACHED slot
            // on the queue makes this allocation's moment not quiet
            d.sendUsers(p, fd, "u");
            assertEquals(2, Det.port(p, fd).portQueue.portqNent);
            return 0;
        });
        int queued = -1;
        for (int i = 0; i < rs.size(); i++) {
            if (rs.get(i).action().equals("port_send_event") && queued < 0) {
                queued = i;
            }
        }
        assertTrue(queued >= 0, "the FD event was queued");
        for (TraceRecord r : rs.subList(queued, rs.size())) {
            assertTrue(!r.action().equals("checkpoint"), "a checkpoint with an FD event queued: " + r);
        }
        assertTrue(rs.subList(0, queued).stream().anyMatch(r -> r.action().equals("checkpoint")),
                "checkpoints are on: the association's own allocation wrote one");
    }

    private interface Run {
        Object run(Det d) throws Exception;
    }

    /** The records of {@code run} with a checkpoint due every {@code every} records of a port. */
    private static List<TraceRecord> traced(int every, Run run) throws Exception {
        String key = "eventports.trace.checkpoint";
        String before = System.getProperty(key);
        System.setProperty(key, Integer.toString(every));   // the Tracer reads it when made
        Det made;
        try {
            made = new Det(Profile.ILLUMOS);
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
        try (Det d = made) {
            run.run(d);
            return d.trace.records();
        }
    }
}
