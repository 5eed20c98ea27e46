package eventports.tracevalidation;

import eventports.kernel.Ports;
import eventports.trace.TraceRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Event slots for long traces. EventPort names every event of a run by its own number, so its
 * state grows with the number of events a trace ever allocated, and each step costs that much.
 * The loader instead reuses the number of an event that has reached an end state (delivered,
 * discarded, discarded at close, lost, refused with EAGAIN, its sleep for a slot interrupted
 * with EINTR) for a later event with the same shareability and, for a NOSHARE event, the same
 * owner — the spec's constants EvOwner and EvNoShare per number (a shareable event's owner
 * decides nothing the spec checks: Deliverable, DiscardMarks and the AIO and timer records read
 * it only for NOSHARE and FD slots, and MayCall is TRUE for traces; so a stress run's events,
 * sent by processes that come and go, share numbers across processes) — and inserts a
 * "recycle" record before the reuse, which puts the number back to "none" (TraceEventPort's
 * MatchRecycle). State then grows with the events alive at once, not with the trace.
 *
 * <p>The CACHED slot of an FD association (a kev named by a port_associate_fd record) fires
 * again after each re-association and is named by the association's records for its whole
 * life: it keeps its number and is never recycled, nor given an ended event's number. So does
 * a timer's SCACHED slot (named by its timer_create record); the timer's records that name
 * the timer but not the slot (timer_fire, timer_port_callback) are given its kev here. So does
 * the CACHED slot of a PORT_SOURCE_FILE watch (named by port_associate_fop records): it is
 * validated as an FD association, its events as events of the FILE source (not PORT_SOURCE_FD:
 * port_send_event wakes the port's pollers for them). The DEFAULT slot of a FILE exception
 * event (port_fop_excep) is validated as a non-shareable event: port_fop_callback denies it to
 * any process but the watch's (FORMAT.md: it is not discarded by its owner's per-process close,
 * which a NOSHARE event would be; no corpus scenario retrieves one after that). So is the
 * DEFAULT slot of an AIO request (aio_port_callback denies it to other processes).
 */
final class Slots {
    /** The records with {@code slot} (1-based number) in place of {@code kev}, and recycle records. */
    final List<TraceRecord> records = new ArrayList<>();
    /** Index into the original records of each output record (recycles map to the next one). */
    final List<Integer> origin = new ArrayList<>();
    /** Per slot (0-based): owner pid and noshare. */
    final List<Integer> owner = new ArrayList<>();
    final List<Boolean> noshare = new ArrayList<>();
    /** Per slot (0-based): true for the CACHED slot of an FD association or a timer's SCACHED slot. */
    final List<Boolean> fd = new ArrayList<>();
    /** Per slot (0-based): true for a timer's slot. */
    final List<Boolean> timer = new ArrayList<>();
    /** Per slot (0-based): true for a FILE watch's slot. */
    final List<Boolean> fop = new ArrayList<>();

    Slots(List<TraceRecord> in) {
        Map<Object, Boolean> noshareOf = new HashMap<>();
        for (TraceRecord r : in) {
        }
        Set<Object> fdKevs = new HashSet<>();
        Set<Object> timerKevs = new HashSet<>();
        Set<Object> fopKevs = new HashSet<>();
        Set<Object> aioKevs = new HashSet<>();
        for (TraceRecord r : in) {
            if ((r.action().equals("aiorw") || r.action().equals("aio_done")) && r.get("kev") != null) {
                aioKevs.add(r.get("kev"));
            }
            if (r.action().equals("port_associate_fop") && r.get("kev") != null) {
                fdKevs.add(r.get("kev"));
                fopKevs.add(r.get("kev"));
            }
        }
        for (TraceRecord r : in) {
            if (r.action().equals("port_send_event") && r.get("kev") != null) {
                int source = r.get("source") instanceof Number ? ((Number) r.get("source")).intValue() : -1;
                boolean fileException = source == Ports.PORT_SOURCE_FILE && !fopKevs.contains(r.get("kev"));
                // aio_port_callback: an AIO request's completion is for its owner only (an event
                // port_dispatch sends with source PORT_SOURCE_AIO is not a request's: no aiorw)
                noshareOf.put(r.get("kev"), Boolean.TRUE.equals(r.get("noshare")) || fileException
                        || aioKevs.contains(r.get("kev")));
            }
        }
        for (TraceRecord r : in) {
            if (r.action().equals("port_associate_fd") && r.get("kev") != null) {
                fdKevs.add(r.get("kev"));
            }
            if (r.action().equals("timer_create") && r.get("kev") != null) {
                fdKevs.add(r.get("kev"));
                timerKevs.add(r.get("kev"));
            }
        }
        Map<String, Object> kevOfTimer = new HashMap<>();   // "pid/timer id" -> its slot's kev
        Map<Object, Integer> slotOf = new HashMap<>();
        Set<Integer> free = new HashSet<>();       // slots whose event reached an end state
        // the free slots by what a new event must share with its slot's number: its owner
        // (NOSHARE) or nothing (shareable); FD slots are never free
        Map<Integer, java.util.ArrayDeque<Integer>> freeBy = new HashMap<>();
        Set<Integer> used = new HashSet<>();       // slots ever used
        Map<String, List<Object>> collected = new LinkedHashMap<>(); // per thread, this pass
        for (int j = 0; j < in.size(); j++) {
            TraceRecord r = in.get(j);
            String a = r.action();
            if (a.startsWith("timer_") && r.get("timer") != null) {
                // timer ids are per process: the owner's (a callback record is the retriever's)
                Object owner = r.get("owner") != null ? r.get("owner") : r.pid();
                String key = owner + "/" + r.get("timer");
                if (a.equals("timer_create")) {
                    kevOfTimer.put(key, r.get("kev"));
                } else if (r.get("kev") == null && kevOfTimer.containsKey(key)) {
                    Map<String, Object> f = new LinkedHashMap<>(r.fields());
                    f.put("kev", kevOfTimer.get(key));
                    r = new TraceRecord(r.seq(), a, r.thread(), r.pid(), r.port(), f);
                }
            }
            if (a.equals("checkpoint")) {
                records.add(checkpoint(r, slotOf, free, used));
                origin.add(j);
                continue;
            }
            Object kev = r.get("kev");
            if (kev != null && a.startsWith("port_alloc_event") && !slotOf.containsKey(kev)) {
                int pid = r.pid();
                boolean ns = noshareOf.getOrDefault(kev, false);
                boolean isFd = fdKevs.contains(kev);
                int slot = -1;
                java.util.ArrayDeque<Integer> cands = isFd ? null : freeBy.get(ns ? pid : -1);
                while (cands != null && !cands.isEmpty() && slot < 0) {
                    int s = cands.pollFirst();
                    if (free.contains(s)) {
                        slot = s;
                    }
                }
                if (slot < 0) {
                    slot = owner.size();
                    owner.add(pid);
                    noshare.add(ns);
                    fd.add(isFd);
                    timer.add(timerKevs.contains(kev));
                    fop.add(fopKevs.contains(kev));
                } else {
                    free.remove(slot);
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("slot", slot + 1);
                    records.add(new TraceRecord(r.seq(), "recycle", r.thread(), r.pid(), r.port(), f));
                    origin.add(j);
                }
                used.add(slot);
                slotOf.put(kev, slot);
            }
            records.add(kev == null || !slotOf.containsKey(kev) ? r : withSlot(r, slotOf.get(kev) + 1));
            origin.add(j);
            // end states free the slot for the next event
            if (kev != null && slotOf.containsKey(kev) && !fdKevs.contains(kev)) {
                int slot = slotOf.get(kev);
                if (a.startsWith("port_alloc_event")
                        && ("EAGAIN".equals(r.get("error")) || "EINTR".equals(r.get("error")))
                        || a.equals("port_close_events")
                        || a.equals("port_copy_event") && "discard".equals(r.get("outcome"))) {
                    release(slot, free, freeBy);
                } else if (a.equals("port_copy_event") && "deliver".equals(r.get("outcome"))) {
                    collected.computeIfAbsent(r.thread(), t -> new ArrayList<>()).add(kev);
                }
            }
            if (a.equals("port_unblock")) {
                for (Object k : collected.getOrDefault(r.thread(), List.of())) {
                    release(slotOf.get(k), free, freeBy);
                }
                collected.remove(r.thread());
            }
        }
    }

    /**
     * A checkpoint with its queued events' numbers ({@code slots}) in place of their kevs. A kev
     * the trace has not allocated before — the checkpoint a segment starts from — gets a new
     * number with the record's owner and NOSHARE bit (checkpoint records queue only DEFAULT
     * and PRIVATE slots, so never an FD one).
     */
    private TraceRecord checkpoint(TraceRecord r, Map<Object, Integer> slotOf, Set<Integer> free, Set<Integer> used) {
        List<?> queue = r.get("queue") instanceof List ? (List<?>) r.get("queue") : List.of();
        List<?> owners = r.get("owners") instanceof List ? (List<?>) r.get("owners") : List.of();
        List<?> noshares = r.get("noshares") instanceof List ? (List<?>) r.get("noshares") : List.of();
        List<Object> slots = new ArrayList<>();
        for (int n = 0; n < queue.size(); n++) {
            Object kev = queue.get(n);
            Integer slot = slotOf.get(kev);
            if (slot == null) {
                slot = owner.size();
                owner.add(n < owners.size() && owners.get(n) instanceof Number ? ((Number) owners.get(n)).intValue() : 0);
                noshare.add(n < noshares.size() && Boolean.TRUE.equals(noshares.get(n)));
                fd.add(false);
                timer.add(false);
                fop.add(false);
                used.add(slot);
                slotOf.put(kev, slot);
            }
            slots.add(slot + 1);
        }
        Map<String, Object> f = new LinkedHashMap<>(r.fields());
        f.remove("queue");
        f.put("slots", slots);
        return new TraceRecord(r.seq(), r.action(), r.thread(), r.pid(), r.port(), f);
    }

    /** Slot {@code slot} is free for a later event (of its owner, if it is NOSHARE). */
    private void release(int slot, Set<Integer> free, Map<Integer, java.util.ArrayDeque<Integer>> freeBy) {
        if (free.add(slot)) {
            freeBy.computeIfAbsent(noshare.get(slot) ? owner.get(slot) : -1, x -> new java.util.ArrayDeque<>())
                    .addLast(slot);
        }
    }

    private static TraceRecord withSlot(TraceRecord r, int slot) {
        Map<String, Object> f = new LinkedHashMap<>(r.fields());
        f.remove("kev");
        f.put("slot", slot);
        return new TraceRecord(r.seq(), r.action(), r.thread(), r.pid(), r.port(), f);
    }
}
