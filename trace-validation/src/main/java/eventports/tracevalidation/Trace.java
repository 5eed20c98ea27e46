package eventports.tracevalidation;

import eventports.kernel.Profile;
import eventports.trace.TraceRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trace to validate: the records of one port (EventPort models one port), with the
 * profile and the port's slot limit the run used. {@code id} names it in reports.
 */
public record Trace(String id, Profile profile, int maxEvents, List<TraceRecord> records) {

    /**
     * Whether the run had the descriptor layer on (EventPort's FdLayer): what the port's
     * port_create record says ({@code "layer"}); a trace without one is of portfs on its own.
     */
    public boolean fdLayer() {
        for (TraceRecord r : records) {
            if (r.action().equals("port_create")) {
                return "descriptors".equals(r.get("layer"));
            }
            if (r.action().equals("checkpoint") && r.fields().containsKey("layer")) {
                return "descriptors".equals(r.get("layer"));    // a segment's start (Segments)
            }
        }
        return false;
    }

    /** Negative {@code maxEvents}: each port's own, from its port_create record's "max_events". */
    public static final int MAX_EVENTS_OF_THE_TRACE = -1;

    /**
     * The port's port_max_events: {@code maxEvents} if it is given (0 or more), else what the
     * port's port_create record says, else the illumos default.
     */
    static int maxEvents(int maxEvents, List<TraceRecord> records) {
        if (maxEvents >= 0) {
            return maxEvents;
        }
        for (TraceRecord r : records) {
            Integer stated = statedMaxEvents(r);
            if (stated != null) {
                return stated;
            }
        }
        return eventports.kernel.Limits.ILLUMOS_DEFAULTS.portMaxEvents();
    }

    /** The port's limit if {@code r} is a port_create record that states one, else null. */
    static Integer statedMaxEvents(TraceRecord r) {
        return r.action().equals("port_create") && r.get("max_events") instanceof Number
                ? ((Number) r.get("max_events")).intValue() : null;
    }

    /**
     * Split a run's records by port: each port's protocol is independent (port_sendn is one
     * allocation and send per port), so each projection is checked on its own. A negative
     * {@code maxEvents} ({@link #MAX_EVENTS_OF_THE_TRACE}): each port's own limit.
     */
    public static List<Trace> perPort(String runId, Profile profile, int maxEvents, List<TraceRecord> records) {
        Map<Integer, List<TraceRecord>> byPort = new LinkedHashMap<>();
        for (TraceRecord r : records) {
            if (r.port() > 0) {
                byPort.computeIfAbsent(r.port(), p -> new ArrayList<>()).add(r);
            }
        }
        List<Trace> out = new ArrayList<>();
        for (Map.Entry<Integer, List<TraceRecord>> e : byPort.entrySet()) {
            out.add(new Trace(runId + ":port" + e.getKey(), profile, maxEvents(maxEvents, e.getValue()),
                    onePidPerThread(e.getValue())));
        }
        return out;
    }

    /**
     * EventPort's threads belong to one process each (ThreadProc). A test harness thread that
     * makes calls as several simulated processes (a stress run's "chaos" thread does) becomes one
     * spec thread per process: "chaos@2", "chaos@3". Its calls never overlap, so nothing is lost.
     */
    static List<TraceRecord> onePidPerThread(List<TraceRecord> records) {
        Pids pids = new Pids();
        records.forEach(pids::add);
        return pids.rename(records);
    }

    /**
     * What {@link #onePidPerThread} needs of a port's whole trace, gathered a record at a time:
     * each thread's pids, and whether any record is a process's rather than a thread's. RunSplit
     * gathers it while it cuts a port's file into segments, and renames each segment by it when
     * it loads it. It grows with the port's threads, not its records.
     */
    static final class Pids {
        private final Map<String, java.util.Set<Integer>> pids = new LinkedHashMap<>();
        private boolean neutrals;

        void add(TraceRecord r) {
            if (neutral(r)) {
                neutrals = true;
            } else {
                pids.computeIfAbsent(r.thread(), t -> new java.util.TreeSet<>()).add(r.pid());
            }
        }

        /** {@code records}, of the port whose records were added, renamed. */
        List<TraceRecord> rename(List<TraceRecord> records) {
            if (!neutrals && pids.values().stream().allMatch(ps -> ps.size() == 1)) {
                return records;
            }
            List<TraceRecord> out = new ArrayList<>(records.size());
            for (TraceRecord r : records) {
                out.add(rename(r));
            }
            return out;
        }

        /** {@code r}, one of the records added, as {@link #rename(List)} renames it. */
        TraceRecord rename(TraceRecord r) {
            if (neutral(r)) {
                // whichever thread forked, dup'd or passed the descriptor (or released the vnode),
                // the record is the process's, not the thread's: it must not make that thread one
                // of the process (the loader maps a thread to the pid of its first record)
                return new TraceRecord(r.seq(), r.action(), r.action() + "@" + r.pid(), r.pid(), r.port(), r.fields());
            }
            r = renameBlockwoke(r);
            return pids.get(r.thread()).size() == 1 ? r
                    : new TraceRecord(r.seq(), r.action(), r.thread() + "@" + r.pid(), r.pid(), r.port(), r.fields());
        }

        /** The block sleeper a record names (FORMAT.md "blockwoke") renamed as its own records are, by its pid. */
        private TraceRecord renameBlockwoke(TraceRecord r) {
            Object t = r.get("blockwoke");
            if (t == null || pids.getOrDefault(t.toString(), java.util.Set.of()).size() <= 1) {
                return r;
            }
            Map<String, Object> f = new LinkedHashMap<>(r.fields());
            f.put("blockwoke", t + "@" + r.get("blockwoke_pid"));
            return new TraceRecord(r.seq(), r.action(), r.thread(), r.pid(), r.port(), f);
        }
    }

    /** Records of a process or of the vnode rather than of a call of the thread that wrote them. */
    private static boolean neutral(TraceRecord r) {
        return r.action().equals("fork") || r.action().equals("port_inactive") || r.action().equals("dup")
                || r.action().equals("sendfd") || r.action().equals("checkpoint");
    }
}
