package eventports.tracevalidation;

import eventports.trace.TraceRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thread slots for long traces, as {@link Slots} does for events. Every state carries th, sig and
 * ret over every spec thread, so a trace of a stress run — hundreds of short-lived threads, a
 * few dozen alive at once — would cost each step hundreds of threads' locals. The loader instead
 * gives a thread whose records are over (its last record, or the last record that names it in
 * woke, signalled or stale) a spec thread slot that a later thread takes over: the slot is named
 * after its first thread, its script (EventPort's Script) is its threads' calls in order, and
 * its process at each call is that call's thread's (TraceEventPort's TProc: the pid of the
 * slot's call th.step + 1, so that ThreadProc stays a constant). A "recycle_thread" record
 * (the slot, the new thread's pid) goes before the first record that names the new thread:
 * TraceEventPort's MatchRecycleThread accepts it only if the slot is idle — between calls, not
 * holding portq_mutex — and clears its sig and ret, so the new thread starts as a fresh one
 * would. A trace whose thread stopped mid-call and whose successor's records would continue that
 * call is rejected there, not merged into one call. State then grows with the threads alive
 * at once, not with the trace.
 *
 * <p>Whether a thread's last call returned is the spec's to say: the loader hands a slot on only
 * after a thread's last record if that record is its own and not one after which a call goes on
 * ({@link #MID_CALL}: a thread the trace leaves asleep, or one only named in another's record,
 * keeps its slot), and a trace rejected at a recycle_thread record is validated again without
 * thread slots (TraceValidator), so a wrong guess costs a second run, never a verdict.
 */
final class ThreadSlots {
    /** The fields whose values name threads (Batch renames them into the trace's namespace too). */
    static final List<String> THREAD_FIELDS = List.of("woke", "blockwoke", "signalled", "stale");

    /** Records after which the thread's call goes on (port_getn: with these "next" values). */
    private static final java.util.Set<String> MID_CALL = java.util.Set.of("port_queue_thread", "cv_waituntil_sig",
            "port_dequeue_thread", "portnowait", "port_copy_event", "port_fd_callback", "timer_port_callback",
            "port_fop_callback", "closeandsetf", "port_close_sources", "port_close_events");
    private static final java.util.Set<String> MID_GETN = java.util.Set.of("queue", "nowait", "count_wait",
            "EINVAL_TIMEOUT");

        /** The records with each thread renamed to its slot, and recycle_thread records. */
    final List<TraceRecord> records = new ArrayList<>();
    /** Index into the original records of each output record (a recycle maps to the record it precedes). */
    final List<Integer> origin = new ArrayList<>();

    ThreadSlots(List<TraceRecord> in, List<Integer> inOrigin) {
        Map<String, Integer> last = new HashMap<>();
        Map<String, Integer> pid = new HashMap<>();
        for (int j = 0; j < in.size(); j++) {
            TraceRecord r = in.get(j);
            pid.putIfAbsent(r.thread(), r.pid());
            for (String t : named(r)) {
                last.put(t, j);
            }
        }
        // a thread whose last mention leaves it in a call keeps its slot to the end
        for (Map.Entry<String, Integer> e : last.entrySet()) {
            TraceRecord r = in.get(e.getValue());
            if (!r.thread().equals(e.getKey()) || leavesInCall(r)) {
                e.setValue(Integer.MAX_VALUE);
            }
        }
        Map<String, String> slotOf = new HashMap<>();
        Deque<String> free = new ArrayDeque<>();
        for (int j = 0; j < in.size(); j++) {
            TraceRecord r = in.get(j);
            List<String> names = named(r);
            for (String t : names) {
                // a name without records of its own (a thread a closeandsetf found between its
                // getf and its first record that then wrote none) is no spec thread: left as it is
                if (slotOf.containsKey(t) || !pid.containsKey(t)) {
                    continue;
                }
                String slot = free.pollFirst();
                if (slot == null) {
                    slot = t;
                } else {
                    records.add(new TraceRecord(r.seq(), "recycle_thread", slot, pid.get(t), r.port(), Map.of()));
                    origin.add(inOrigin.get(j));
                }
                slotOf.put(t, slot);
            }
            records.add(renamed(r, slotOf));
            origin.add(inOrigin.get(j));
            for (String t : names) {
                if (slotOf.get(t) != null && last.get(t) == j) {
                    free.addFirst(slotOf.get(t));
                    slotOf.put(t, null);     // over: never mapped again
                }
            }
        }
    }

    /**
     * Whether the thread's call goes on after its record {@code r} (Segments cuts only where none
     * does). A per-process close's port_discard_events that found PORTQ_BLOCKED free ends the
     * close (EventPort's OpReturn), and so does a port_block that took the block for a count
     * query ("count") or for port_discard_events ("marked"); only a retriever's goes on. A
     * retriever's port_unblock that delivered nothing may be followed by another pass of the
     * same call (port.c:1530-1558 sets pgt_loop), so the call counts as going on.
     */
    static boolean leavesInCall(TraceRecord r) {
        return switch (r.action()) {
            case "port_unblock" -> !Boolean.TRUE.equals(r.get("closing")) && r.getInt("delivered") == 0;
            case "port_discard_events" -> Boolean.TRUE.equals(r.get("blocked"));
            case "port_block" -> !Boolean.TRUE.equals(r.get("taken")) || r.get("count") == null && r.get("marked") == null;
            case "port_getn" -> MID_GETN.contains(String.valueOf(r.get("next")));
            default -> MID_CALL.contains(r.action());
        };
    }

    /** The threads record {@code r} names: its own, then those in its thread fields. */
    private static List<String> named(TraceRecord r) {
        List<String> out = new ArrayList<>();
        if (r.action().equals("checkpoint")) {
            return out;     // the port's record, of no thread's call
        }
        out.add(r.thread());
        for (String f : THREAD_FIELDS) {
            collect(r.get(f), out);
        }
        return out;
    }

    private static void collect(Object v, List<String> out) {
        if (v instanceof List) {
            for (Object o : (List<?>) v) {
                collect(o, out);
            }
        } else if (v instanceof String && !"closecv".equals(v)) {
            out.add((String) v);
        }
    }

    private static TraceRecord renamed(TraceRecord r, Map<String, String> slotOf) {
        boolean fields = false;
        for (String f : THREAD_FIELDS) {
            fields |= r.get(f) != null;
        }
        String thread = slotOf.get(r.thread()) != null ? slotOf.get(r.thread()) : r.thread();
        if (!fields && thread.equals(r.thread())) {
            return r;
        }
        Map<String, Object> f = new LinkedHashMap<>(r.fields());
        for (String name : THREAD_FIELDS) {
            if (f.get(name) != null) {
                f.put(name, rename(f.get(name), slotOf));
            }
        }
        return new TraceRecord(r.seq(), r.action(), thread, r.pid(), r.port(), f);
    }

    private static Object rename(Object v, Map<String, String> slotOf) {
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object o : (List<?>) v) {
                out.add(rename(o, slotOf));
            }
            return out;
        }
        return v instanceof String && slotOf.get(v) != null ? slotOf.get(v) : v;
    }
}
