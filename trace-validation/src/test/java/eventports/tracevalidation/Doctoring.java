package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.sched.DetSched;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/** What the Doctored*TraceTest classes share: editing a record, and one TLC batch for all variants. */
final class Doctoring {
    private Doctoring() {
    }

    /** A program for {@link #run}: calls made on the deterministic runtime by process p's threads. */
    interface Script {
        void run(DetSched sched, Proc p) throws Exception;
    }

    /** The records of one run of {@code script} (illumos profile, these limits). */
    static List<TraceRecord> run(Limits limits, Script script) throws Exception {
        DetSched sched = new DetSched();
        MemorySink sink = new MemorySink();
        Proc p = new PortSystem(Profile.ILLUMOS, limits, sched, sink).spawn();
        try {
            script.run(sched, p);
        } finally {
            sched.shutdown();
        }
        return sink.records();
    }

    /** {@code r} with one field set to {@code value}. */
    /** A record made by hand, its fields given as name, value pairs (port 1). */
    static TraceRecord record(long seq, String action, String thread, int pid, Object... kv) {
        Map<String, Object> f = new LinkedHashMap<>();
        for (int j = 0; j < kv.length; j += 2) {
            f.put((String) kv[j], kv[j + 1]);
        }
        return new TraceRecord(seq, action, thread, pid, 1, f);
    }

    static TraceRecord with(TraceRecord r, String key, Object value) {
        Map<String, Object> f = new LinkedHashMap<>(r.fields());
        f.put(key, value);
        return new TraceRecord(r.seq(), r.action(), r.thread(), r.pid(), r.port(), f);
    }

    /** The index of the {@code nth} (from 0) record matching {@code p}. */
    static int indexOf(List<TraceRecord> rs, Predicate<TraceRecord> p, int nth) {
        int seen = 0;
        for (int n = 0; n < rs.size(); n++) {
            if (p.test(rs.get(n)) && seen++ == nth) {
                return n;
            }
        }
        throw new AssertionError("record not found in " + rs);
    }

    static int indexOf(List<TraceRecord> rs, Predicate<TraceRecord> p) {
        return indexOf(rs, p, 0);
    }

    static Predicate<TraceRecord> action(String a) {
        return r -> r.action().equals(a);
    }

    /** The verdicts of the runs, in order, from one TLC batch (illumos, the default slot limit). */
    static List<Verdict> validate(List<String> names, List<List<TraceRecord>> runs) {
        return validate(names, runs, name -> Limits.ILLUMOS_DEFAULTS.portMaxEvents());
    }

    /** As {@link #validate(List, List)}, with each run's port_max_events chosen by its name. */
    static List<Verdict> validate(List<String> names, List<List<TraceRecord>> runs, ToIntFunction<String> maxEvents) {
        List<Trace> traces = new ArrayList<>();
        for (int n = 0; n < runs.size(); n++) {
            traces.add(new Trace(names.get(n), Profile.ILLUMOS, maxEvents.applyAsInt(names.get(n)), runs.get(n)));
        }
        return TraceValidator.validate(traces);
    }
}
