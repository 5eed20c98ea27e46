package eventports.report;

import eventports.trace.TraceRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the core's trace records into diagram steps. A record carries only some of the port's
 * state, so the step's state holds just the counters the record names (nent, thrcnt, getn);
 * the other fields become the detail. The wake-ups a record reports ({@code woke}: a thread
 * or a list of threads; {@code signalled}: a thread, or "closecv" for the last closer) become
 * wake arrows; cv_waituntil_sig is the thread coming back from its sleep, which began when it
 * joined the waiter ring (or, for the last closer, when threads were still inside).
 */
public final class TraceSteps {
    private TraceSteps() {}

    private static final Set<String> COUNTERS = Set.of("nent", "thrcnt", "getn");
    private static final Set<String> WAKE_FIELDS = Set.of("woke", "signalled", "blockwoke");
    private static final String CLOSECV = "closecv";

    public static Interleaving interleaving(String title, String profile, Interleaving.Kind kind, String note,
                                            List<TraceRecord> records, Collection<Long> highlightSeqs) {
        return new Interleaving(title, profile, kind, note, steps(records, highlightSeqs));
    }

    /**
     * One step per record, in sequence order. Records in {@code highlightSeqs} (e.g. the one a
     * validator rejected) and records with {@code crash} set are highlighted.
     */
    public static List<Step> steps(List<TraceRecord> records, Collection<Long> highlightSeqs) {
        List<TraceRecord> sorted = new ArrayList<>(records);
        sorted.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        Map<Integer, String> closer = new HashMap<>();
        List<Step> out = new ArrayList<>(sorted.size());
        for (TraceRecord r : sorted) {
            if (r.action().equals("port_close") && r.getInt("lastclose") == 1) {
                closer.put(r.port(), r.thread());
            }
            List<String> wakes = new ArrayList<>();
            List<String> detail = new ArrayList<>();
            for (Map.Entry<String, Object> e : r.fields().entrySet()) {
                String k = e.getKey();
                Object v = e.getValue();
                if (v == null || COUNTERS.contains(k)) {
                    continue;
                }
                if (WAKE_FIELDS.contains(k)) {
                    for (String w : names(v)) {
                        // closecv has no thread of its own: it is the last closer's sleep
                        String target = w.equals(CLOSECV) ? closer.get(r.port()) : w;
                        if (target != null && !target.equals(r.thread())) {
                            wakes.add(target);
                        } else {
                            detail.add(k + " " + w);
                        }
                    }
                    continue;
                }
                if (v instanceof Boolean b) {
                    if (b) {
                        detail.add(k);
                    }
                    continue;
                }
                detail.add(k + " " + value(v));
            }
            PortState counters = PortState.counters(integer(r, "nent"), integer(r, "thrcnt"), integer(r, "getn"));
            boolean highlight = highlightSeqs.contains(r.seq()) || Boolean.TRUE.equals(r.get("crash"));
            out.add(new Step(r.thread(), r.pid(), r.action(), String.join(" ", detail), "port " + r.port(), wakes,
                    r.action().equals("cv_waituntil_sig"), sleeps(r), highlight, counters.isEmpty() ? null : counters));
        }
        return out;
    }

    /**
     * Whether the thread goes to sleep after the record: a retriever once it is on the ring
     * (or announces that it will wait), a last closer while threads remain inside the port (it
     * sleeps on closecv).
     */
    private static boolean sleeps(TraceRecord r) {
        return switch (r.action()) {
            case "port_queue_thread", "port_close_wait" -> true;
            case "port_getn" -> Boolean.TRUE.equals(r.get("wait"));
            case "port_close" -> r.getInt("lastclose") == 1 && r.getInt("thrcnt") > 0;
            default -> false;
        };
    }

    private static List<String> names(Object v) {
        List<String> l = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            c.forEach(o -> l.add(String.valueOf(o)));
        } else {
            l.add(String.valueOf(v));
        }
        return l;
    }

    private static String value(Object v) {
        if (v instanceof Collection<?> c) {
            List<String> l = new ArrayList<>();
            c.forEach(o -> l.add(String.valueOf(o)));
            return "[" + String.join(",", l) + "]";
        }
        return String.valueOf(v);
    }

    private static Integer integer(TraceRecord r, String key) {
        return r.get(key) instanceof Number n ? n.intValue() : null;
    }
}
