package eventports.kernel;

import eventports.trace.Action;
import eventports.trace.Tracer;

import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint record: a port's abstract state, written now and then so that validation can
 * cut a long trace into segments that TLC checks on their own, each from its checkpoint's state
 * (trace-validation/README.md, "Segments"; FORMAT.md, {@code checkpoint}).
 *
 * <p>It is written at the start of port_alloc_event_local's critical section, once the port has
 * written {@code eventports.trace.checkpoint} records since its last one, at the first such
 * moment when the port is quiet: portq_mutex held (so no other step is half done), PORTQ_BLOCKED
 * free (the temp list is empty and no retriever is between its take and port_unblock), no close
 * in progress, no thread counted in port_getn (portq_thrcnt 0, so no waiter), no port polling
 * flag set, and every allocated slot queued (port_curr = portq_nent, all of them DEFAULT or
 * PRIVATE slots: no FD association, timer or FILE watch alive, no slot between its allocation
 * and its send). What the record then carries — the queue in order with each event's owner,
 * NOSHARE and FREE bits, the counts, the flags, the alert — is all the port state the spec keeps
 * at such a moment; what it cannot see (which descriptors hold the port, whether some thread is
 * between two passes of port_getn) the validator rebuilds from the earlier records and checks at
 * the cut. A port that is never quiet writes no checkpoint and is validated whole.
 */
final class PortCheckpoint {
    private static final int NOT_QUIET = Ports.PORTQ_BLOCKED | Ports.PORTQ_CLOSE | Ports.PORTQ_POLLIN
            | Ports.PORTQ_POLLOUT | Ports.PORTQ_POLLWK_PEND;

    private PortCheckpoint() {
    }

    /** Write a checkpoint of {@code pp} if one is due and the port is quiet. portq_mutex held. */
    static void checkpoint(Port pp, int pid) {
        Tracer t = pp.sys.tracer;
        if (t == null || !t.checkpointDue(pp.id)) {
            return;
        }
        PortQueue q = pp.portQueue;
        if ((q.portqFlags & NOT_QUIET) != 0 || q.portqThrcnt != 0 || q.portqGetn != 0 || q.portqThread != null
                || pp.portCurr != q.portqNent || q.portqTnent != 0) {
            return;
        }
        List<Long> queue = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        List<Boolean> noshare = new ArrayList<>();
        List<Boolean> free = new ArrayList<>();
        for (Kevent k = q.portqList.head(); k != null; k = q.portqList.next(k)) {
            if ((k.portkevFlags & Ports.PORT_KEV_CACHE) != 0) {
                return;
            }
            queue.add(k.id);
            owners.add(k.portkevPid);
            noshare.add((k.portkevFlags & Ports.PORT_KEV_NOSHARE) != 0);
            free.add((k.portkevFlags & Ports.PORT_KEV_FREE) != 0);
        }
        List<String> flags = new ArrayList<>();
        if (q.flag(Ports.PORTQ_ALERT)) {
            flags.add("ALERT");
        }
        if (q.flag(Ports.PORTQ_WAIT_EVENTS)) {
            flags.add("WAIT_EVENTS");
        }
        t.emit(Action.CHECKPOINT, pid, pp.id, "queue", queue, "owners", owners, "noshares", noshare, "frees", free,
                "nent", q.portqNent, "curr", pp.portCurr, "gen", q.portqGen, "qflags", flags,
                "alert", q.portqAlert.portalEvents, "alert_pid", q.portqAlert.portalPid,
                "thrcnt", q.portqThrcnt, "getn", q.portqGetn);
        t.checkpointed(pp.id);
    }
}
