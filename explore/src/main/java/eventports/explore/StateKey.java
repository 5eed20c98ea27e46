package eventports.explore;

import eventports.explore.Program.Ref;
import eventports.kernel.Port;
import eventports.sched.DetSched;
import eventports.trace.TraceRecord;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A state of the systematic mode's state space: a 96-bit digest of everything observable that
 * the rest of a run can depend on. Two prefixes of runs of one program that reach the same key
 * can go on in the same ways, so the systematic mode explores only the first.
 */
public record StateKey(long a, int b) {

    /** The key of a state described by {@code s}. */
    static StateKey of(String s) {
        long h = 1125899906842597L;
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + s.charAt(i);
        }
        long f = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            f = (f ^ s.charAt(i)) * 0x100000001b3L;
        }
        return new StateKey(h ^ Long.rotateLeft(f, 17), s.hashCode());
    }

    /**
     * Describes the states of one run. The core shows its queues' order only as far as
     * {@link CoreProbe} reaches; what it does not show (the users of the events sent and not
     * yet delivered or discarded, per port, in send order) is followed here from the trace.
     */
    static final class Tracker {
        private final Map<Integer, LinkedHashMap<Long, String>> pending = new LinkedHashMap<>();

        /** Follow the trace records {@code recs[from, to)}; {@code actors} name the users of sends. */
        void track(List<TraceRecord> recs, int from, int to, List<Actor> actors) {
            for (int i = from; i < to; i++) {
                TraceRecord r = recs.get(i);
                Object kev = r.get("kev");
                if (!(kev instanceof Number)) {
                    continue;
                }
                long k = ((Number) kev).longValue();
                switch (r.action()) {
                    case "port_send_event":
                        if (!Boolean.TRUE.equals(r.get("already_queued"))) {
                            pending.computeIfAbsent(r.port(), x -> new LinkedHashMap<>()).put(k, userOf(r, actors));
                        }
                        break;
                    case "port_copy_event":
                        if (!"deny".equals(r.get("outcome"))) {
                            LinkedHashMap<Long, String> m = pending.get(r.port());
                            if (m != null) {
                                m.remove(k);
                            }
                        }
                        break;
                    case "port_close_events": {
                        LinkedHashMap<Long, String> m = pending.get(r.port());
                        if (m != null) {
                            m.remove(k);
                        }
                        break;
                    }
                    default:
                        break;
                }
            }
        }

        private static String userOf(TraceRecord r, List<Actor> actors) {
            for (Actor a : actors) {
                if (a.current != null && a.current.simThread.equals(r.thread())) {
                    return a.current.user;
                }
            }
            return "?";
        }

        /**
         * The key of the run's state now: time and the environment's budgets, the processes,
         * each actor's position, its call's thread state and last trace record, the open
         * descriptors, and each port's counters, queue, waiters and pending events.
         */
        StateKey key(DetSched sched, int advances, int interrupts, Collection<String> forked, List<Actor> actors,
                     List<TraceRecord> records, List<StepRecord> log, Obs o, Map<Ref, Port> ports, String runId) {
            StringBuilder b = new StringBuilder(512);
            b.append(sched.nowNanos()).append('|').append(advances).append(',').append(interrupts).append('|');
            b.append(forked).append('|');
            for (Actor a : actors) {
                b.append(a.name).append(':').append(a.next);
                CallLog c = a.current;
                if (c != null) {
                    DetSched.SimThread t = sched.find(c.simThread);
                    b.append('/').append(t == null ? "-" : t.state().name().charAt(0)).append(t != null && t.runnable())
                            .append(c.interrupted).append(c.startObs == null ? 0 : c.startObs.now());
                    TraceRecord lastRec = lastRecordOf(records, c.simThread, log.get(c.startStep - 1).traceFrom());
                    if (lastRec != null) {
                        b.append('/').append(lastRec.action());
                        for (Map.Entry<String, Object> f : lastRec.fields().entrySet()) {
                            if (!f.getKey().equals("kev") && !f.getKey().equals("marked")) {
                                b.append(',').append(f.getKey()).append('=').append(f.getValue());
                            }
                        }
                    }
                }
                b.append(';');
            }
            b.append(o.openFds()).append('|');
            for (Map.Entry<Ref, Port> e : ports.entrySet()) {
                b.append(e.getKey()).append(o.snap(e.getKey())).append(o.curr().get(e.getKey()));
                List<Object> q = CoreProbe.queueUsers(e.getValue());
                List<String> w = CoreProbe.waiters(e.getValue());
                if (q == null || w == null) {
                    b.append(log.size()).append(runId); // not observable: never merge
                }
                LinkedHashMap<Long, String> p = pending.get(e.getValue().id);
                b.append(q).append(w).append(p == null ? "" : p.values());
            }
            return StateKey.of(b.toString());
        }

        private static TraceRecord lastRecordOf(List<TraceRecord> records, String thread, int from) {
            for (int i = records.size() - 1; i >= from; i--) {
                if (thread.equals(records.get(i).thread())) {
                    return records.get(i);
                }
            }
            return null;
        }
    }
}
