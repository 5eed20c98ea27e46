package eventports.stress;

import eventports.trace.TraceRecord;
import eventports.trace.TraceSink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stress tests' trace sink. It keeps a compact copy of only the records event accounting
 * needs — one send and one delivery or discard per event, the retriever passes, the close
 * records — and counts the rest, so that a run of a few hundred thousand events stays small.
 * Called inside the core's critical sections: it only files the record.
 */
final class AccountingSink implements TraceSink {
    enum Kind {
        /** port_send_event: kev; n = 1 if the slot was already queued (a no-op send). */
        SEND,
        /**
         * portnowait or port_block: a retriever is about to take (or has taken) PORTQ_BLOCKED
         * and starts a delivery pass; its deliveries up to its port_unblock belong to that pass.
         */
        NOWAIT,
        /** port_copy_event outcome=deliver: kev. */
        DELIVER,
        /** port_copy_event outcome=discard: kev, a FREE event dropped by a retriever (port.c:1396-1404). */
        DISCARD,
        /** port_unblock with a lost field: n = events dropped by the last thread out (port.c:1491-1500). */
        LOST,
        /** port_close_events: kev, discarded by the last close. */
        CLOSE_EVENTS,
        /** port_close lastclose=1, the first record of that close: n = thrcnt when PORTQ_CLOSE was set. */
        LAST_CLOSE
    }

    /** One kept record: {@code seq} orders all of them; {@code thread} is the core's thread name. */
    record Rec(long seq, Kind kind, String thread, int port, long kev, int n) {
    }

    private final List<Rec> kept = new ArrayList<>();
    /** Records that must never appear (a seed crash), kept whole for the failure message. */
    final List<TraceRecord> alarms = new ArrayList<>();
    final AtomicLong total = new AtomicLong();
    final AtomicLong denied = new AtomicLong();
    /** fd → port id, from port_create (every port of a run is created by one process, so fds are unique). */
    final Map<Integer, Integer> portOfFd = new ConcurrentHashMap<>();

    /** Every record, when the run's trace is to be validated against the spec (else null). */
    final List<TraceRecord> all;

    AccountingSink(boolean keepAll) {
        this.all = keepAll ? new ArrayList<>() : null;
    }

    @Override
    public void record(TraceRecord r) {
        total.incrementAndGet();
        if (all != null) {
            synchronized (all) {
                all.add(r);
            }
        }
        switch (r.action()) {
            case "port_create":
                portOfFd.put(r.getInt("fd"), r.port());
                break;
            case "port_send_event":
                keep(r, Kind.SEND, kev(r), r.get("already_queued") == null ? 0 : 1);
                break;
            case "portnowait":
            case "port_block":
                keep(r, Kind.NOWAIT, 0, 0);
                break;
            case "port_copy_event": {
                Object outcome = r.get("outcome");
                if ("deliver".equals(outcome)) {
                    keep(r, Kind.DELIVER, kev(r), 0);
                } else if ("discard".equals(outcome)) {
                    keep(r, Kind.DISCARD, kev(r), 0);
                } else {
                    denied.incrementAndGet();
                }
                break;
            }
            case "port_unblock":
                if (r.fields().containsKey("lost")) {
                    keep(r, Kind.LOST, 0, r.getInt("lost"));
                }
                break;
            case "port_close_events":
                keep(r, Kind.CLOSE_EVENTS, kev(r), 0);
                break;
            case "port_close":
                if (r.getInt("lastclose") == 1 && !Boolean.TRUE.equals(r.get("resume"))) {
                    keep(r, Kind.LAST_CLOSE, 0, r.getInt("thrcnt"));
                }
                break;
            case "port_check_return_cond":
                if (r.fields().containsKey("crash")) {
                    synchronized (this) {
                        alarms.add(r);
                    }
                }
                break;
            default:
                break;
        }
    }

    private static long kev(TraceRecord r) {
        return ((Number) r.get("kev")).longValue();
    }

    private synchronized void keep(TraceRecord r, Kind kind, long kev, int n) {
        kept.add(new Rec(r.seq(), kind, r.thread(), r.port(), kev, n));
    }

    /** The kept records in sequence order. */
    synchronized List<Rec> records() {
        List<Rec> copy = new ArrayList<>(kept);
        copy.sort(Comparator.comparingLong(Rec::seq));
        return copy;
    }
}
