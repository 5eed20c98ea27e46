package eventports.tracevalidation;

import eventports.kernel.Profile;
import eventports.trace.TraceRecord;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import tlc2.value.impl.ValueVec;
import util.UniqueString;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The traces of one TLC run, renamed apart so that EventPort's constants can be the union of
 * the batch: thread "T1" of trace k becomes "k/T1", pid p becomes k * 1000 + p, and event
 * slots (kev ids) are numbered 1..N across the batch in allocation order. Collects each
 * trace's progress as TLC reports it.
 */
final class Batch extends TlcBatch {
    private static final int PID_STRIDE = 1000;

    final Profile profile;
    final int maxEvents;
    final List<Trace> traces;
    private Value reportAt = new SetEnumValue(new Value[0], true);

    /** Per trace (1-based): the furthest record index reached and the states reached there. */
    final Furthest furthest;
    /** Per trace: the original record index of each loaded record (recycle records added). */
    final List<List<Integer>> origins = new ArrayList<>();
    /** Per trace: enabled actions at the stuck state, filled by the report pass. */
    final List<java.util.TreeSet<String>> enabled = new ArrayList<>();

    /** Per trace: the loaded record indexes of its recycle_thread records (ThreadSlots). */
    final List<java.util.BitSet> handOvers = new ArrayList<>();

    Batch(Profile profile, int maxEvents, List<Trace> traces) {
        this(profile, maxEvents, traces, true);
    }

    /** {@code threadSlots}: hand finished threads' spec threads on (ThreadSlots), or give each thread its own. */
    Batch(Profile profile, int maxEvents, List<Trace> traces, boolean threadSlots) {
        this.profile = profile;
        this.maxEvents = maxEvents;
        this.traces = traces;
        this.furthest = new Furthest(traces.size());
        for (int k = 0; k <= traces.size(); k++) {
            enabled.add(new java.util.TreeSet<>());
        }
        Value[] ls = new Value[traces.size()];
        Value[] ms = new Value[traces.size()];
        Map<String, Integer> threadProc = new java.util.LinkedHashMap<>();
        Map<String, List<Value>> script = new java.util.LinkedHashMap<>();
        // per spec thread (a slot: ThreadSlots): the pid of each call's thread, then the last one's
        Map<String, List<Value>> procAt = new java.util.LinkedHashMap<>();
        Map<String, Integer> lastProc = new java.util.HashMap<>();
        java.util.Set<Integer> procs = new java.util.TreeSet<>();
        java.util.Set<Value> ops = new java.util.LinkedHashSet<>();
        List<Integer> evOwner = new ArrayList<>();
        List<Boolean> evNoShare = new ArrayList<>();
        List<String> evFd = new ArrayList<>();
        int nextEv = 1;
        boolean fdLayer = !traces.isEmpty() && traces.get(0).fdLayer();
        for (int k = 1; k <= traces.size(); k++) {
            Trace t = traces.get(k - 1);
            Slots sl = new Slots(t.records());
            ThreadSlots ts = threadSlots ? new ThreadSlots(sl.records, sl.origin) : null;
            List<TraceRecord> loaded = ts != null ? ts.records : sl.records;
            java.util.BitSet handOver = new java.util.BitSet();
            int firstEv = nextEv;
            Value[] recs = new Value[loaded.size()];
            java.util.Set<Integer> blockEvs = new java.util.TreeSet<>(); // events that sleep on port_cv
            int creator = -1;
            int creatorFd = 0;
            for (int j = 0; j < recs.length; j++) {
                TraceRecord r = loaded.get(j);
                if (r.action().equals("recycle_thread")) {
                    handOver.set(j);
                }
                if (r.action().equals("checkpoint")) {
                    // the port's record, no thread's: its own thread is no spec thread; the processes
                    // it names (queued events' owners, descriptors' holders) are EventPort's Procs
                    for (Object o : r.get("owners") instanceof List ? (List<?>) r.get("owners") : List.of()) {
                        procs.add(k * PID_STRIDE + ((Number) o).intValue());
                    }
                    for (Object o : r.get("refs") instanceof List ? (List<?>) r.get("refs") : List.of()) {
                        procs.add(k * PID_STRIDE + ((Number) ((List<?>) o).get(0)).intValue());
                    }
                    recs[j] = record(k, r, firstEv - 1);
                    continue;
                }
                String thread = k + "/" + r.thread();
                int pid = k * PID_STRIDE + r.pid();
                threadProc.putIfAbsent(thread, pid);
                script.computeIfAbsent(thread, x -> new ArrayList<>());
                procAt.computeIfAbsent(thread, x -> new ArrayList<>());
                lastProc.put(thread, pid);
                procs.add(pid);
                if (creator < 0 && r.action().equals("port_create")) {
                    creator = r.pid();
                    creatorFd = r.getInt("fd");
                }
                if (r.action().equals("fork")) {
                    procs.add(k * PID_STRIDE + r.getInt("child"));
                }
                if (r.action().equals("sendfd")) {
                    procs.add(k * PID_STRIDE + r.getInt("to"));
                }
                Value op = startsCall(r, fdLayer);
                if (op != null) {
                    script.get(thread).add(new SetEnumValue(new Value[] {op}, true));
                    procAt.get(thread).add(IntValue.gen(pid));
                    ops.add(op);
                }
                // MatchAllocBlock puts an event in allocWait only at a record that says it sleeps:
                // the port_cv choice (TPortCvChoices) need not look at any other
                if (r.action().equals("port_alloc_event_block") && r.get("slot") instanceof Number
                        && Boolean.TRUE.equals(r.get("sleep"))) {
                    blockEvs.add(((Number) r.get("slot")).intValue() + firstEv - 1);
                }
                recs[j] = record(k, r, firstEv - 1);
            }
            for (int e = 0; e < sl.owner.size(); e++) {
                evOwner.add(k * PID_STRIDE + sl.owner.get(e));
                evNoShare.add(sl.noshare.get(e));
                // one FD object per association, timer or FILE watch: named apart by trace and event number
                evFd.add(sl.timer.get(e) ? "timer" + (firstEv + e) : sl.fop.get(e) ? "fop" + (firstEv + e)
                        : sl.fd.get(e) ? "fd" + (firstEv + e) : "");
            }
            nextEv += sl.owner.size();
            origins.add(ts != null ? ts.origin : sl.origin);
            handOvers.add(handOver);
            if (creator < 0 && !t.records().isEmpty()) {
                creator = t.records().get(0).pid();
            }
            ls[k - 1] = new TupleValue(recs);
            List<Value> own = new ArrayList<>();
            for (String th : threadProc.keySet()) {
                if (th.startsWith(k + "/")) {
                    own.add(new StringValue(th));
                }
            }
            ms[k - 1] = rec(new String[] {"blockEvs", "creator", "creatorFd", "firstEv", "lastEv", "threads"},
                    new Value[] {new SetEnumValue(blockEvs.stream().map(IntValue::gen).toArray(Value[]::new), false).normalize(),
                        IntValue.gen(k * PID_STRIDE + creator), IntValue.gen(creatorFd), IntValue.gen(firstEv),
                        IntValue.gen(nextEv - 1), new SetEnumValue(own.toArray(new Value[0]), false).normalize()});
        }
        this.logs = new TupleValue(ls);
        this.meta = new TupleValue(ms);

        Value[] threads = new Value[threadProc.size()];
        Value[] tp = new Value[threads.length];
        Value[] sc = new Value[threads.length];
        Value[] pa = new Value[threads.length];
        int n = 0;
        for (Map.Entry<String, Integer> e : threadProc.entrySet()) {
            threads[n] = new StringValue(e.getKey());
            tp[n] = IntValue.gen(e.getValue());
            sc[n] = new TupleValue(script.get(e.getKey()).toArray(new Value[0]));
            List<Value> at = new ArrayList<>(procAt.get(e.getKey()));
            at.add(IntValue.gen(lastProc.get(e.getKey())));
            pa[n] = new TupleValue(at.toArray(new Value[0]));
            n++;
        }
        Value[] evs = new Value[evOwner.size()];
        Value[] own = new Value[evs.length];
        Value[] nos = new Value[evs.length];
        Value[] fdOf = new Value[evs.length];
        List<Value> fds = new ArrayList<>();
        List<Value> timers = new ArrayList<>();
        List<Value> fops = new ArrayList<>();
        for (int e = 0; e < evs.length; e++) {
            evs[e] = IntValue.gen(e + 1);
            own[e] = IntValue.gen(evOwner.get(e));
            nos[e] = evNoShare.get(e) ? BoolValue.ValTrue : BoolValue.ValFalse;
            fdOf[e] = new StringValue(evFd.get(e));
            if (!evFd.get(e).isEmpty()) {
                fds.add(fdOf[e]);
            }
            if (evFd.get(e).startsWith("timer")) {
                timers.add(fdOf[e]);
            }
            if (evFd.get(e).startsWith("fop")) {
                fops.add(fdOf[e]);
            }
        }
        Value[] pv = procs.stream().map(IntValue::gen).toArray(Value[]::new);
        this.constants = rec(
                new String[] {"evNoShare", "evOwner", "fdLayer", "fdOf", "fds", "fops", "maxEvents", "numEvents", "ops",
                    "procAt", "procs", "profile", "script", "threadProc", "threads", "timers"},
                new Value[] {events(nos), events(own), fdLayer ? BoolValue.ValTrue : BoolValue.ValFalse,
                    events(fdOf),
                    new SetEnumValue(fds.toArray(new Value[0]), false).normalize(),
                    new SetEnumValue(fops.toArray(new Value[0]), false).normalize(), IntValue.gen(maxEvents),
                    IntValue.gen(evs.length),
                    new SetEnumValue(ops.toArray(new Value[0]), false).normalize(), fcn(threads, pa),
                    new SetEnumValue(pv, false).normalize(), new StringValue(profile.id()), fcn(threads, sc),
                    fcn(threads, tp), new SetEnumValue(threads.clone(), false).normalize(),
                    new SetEnumValue(timers.toArray(new Value[0]), false).normalize()});
    }

    /**
     * The EventPort op a record starts, or null: port_getn's first pass (except the returns
     * EventPort leaves out), port_alert, port_remove_alert, and the first record of a close
     * (closeandsetf with the descriptor layer, else port_close's first record).
     */
    private static Value startsCall(TraceRecord r, boolean fdLayer) {
        switch (r.action()) {
            case "port_getn": {
                Object next = r.get("next");
                if (!Boolean.TRUE.equals(r.get("first"))
                        || !java.util.Set.of("queue", "nowait", "EBADFD", "ALERT", "EINVAL_TIMEOUT").contains(next)) {
                    return null;
                }
                boolean get = "get".equals(r.get("kind"));
                return op(get ? "get" : "getn", get ? 1 : r.getInt("max"), get ? 1 : r.getInt("nget"),
                        String.valueOf(r.get("to")), "none", 0, fd(r));
            }
            case "port_alert":
                return op("alert", 0, 0, "none", r.getInt("flags") == 2 ? "UPDATE" : "SET", r.getInt("events"), 0);
            case "port_remove_alert":
                return op("unalert", 0, 0, "none", "none", 0, 0);
            case "closeandsetf":
                return op("close", 0, 0, "none", "none", 0, fd(r));
            case "port_close":
                return !fdLayer && r.fields().containsKey("count") ? op("close", 0, 0, "none", "none", 0, fd(r)) : null;
            default:
                return null;
        }
    }

    /** EventPort's OnFd(Op(kind, max, nget, to, aflags, aval), fd). */
    private static Value op(String kind, int max, int nget, String to, String aflags, int aval, int fd) {
        return rec(new String[] {"aflags", "aval", "fd", "kind", "max", "nget", "to"},
                new Value[] {new StringValue(aflags), IntValue.gen(aval), IntValue.gen(fd), new StringValue(kind),
                    IntValue.gen(max), IntValue.gen(nget), new StringValue(to)});
    }

    /** The record's descriptor (absent in traces written before it was recorded: 0). */
    private static int fd(TraceRecord r) {
        Object v = r.get("fd");
        return v instanceof Number ? ((Number) v).intValue() : 0;
    }

    /**
     * A function of the events 1..N on an interval domain: TLC applies it by index, where a
     * function on an enumerated domain is searched element by element (EvOwner, EvNoShare and
     * FdOf are applied at almost every step: a search over a long trace's events was a third of
     * its run).
     */
    private static Value events(Value[] rng) {
        return new FcnRcdValue(new tlc2.value.impl.IntervalValue(1, rng.length), rng.clone());
    }

    private static Value fcn(Value[] dom, Value[] rng) {
        // normalize sorts the arrays it is given in place (by UniqueString intern order): on the
        // caller's arrays, a second function over the same domain array would pair its values
        // with the wrong threads (a thread named in a closeandsetf's stale list before its first
        // record is interned out of first-appearance order: ThreadProc gave it another's pid)
        return new FcnRcdValue(dom.clone(), rng.clone(), false).normalize();
    }

    @Override
    public Value reportAt() {
        return reportAt;
    }

    /** Ask for the enabled actions at record index {@code at[k]} of trace k (1-based; -1: none). */
    void setReportAt(int[] at) {
        List<Value> pairs = new ArrayList<>();
        for (int k = 1; k < at.length; k++) {
            if (at[k] >= 0) {
                pairs.add(TraceOverrides.tuple(IntValue.gen(k), IntValue.gen(at[k])));
            }
        }
        reportAt = new SetEnumValue(pairs.toArray(new Value[0]), false).normalize();
    }

    @Override
    public synchronized void progress(int tr, int i, Value st) {
        if (st instanceof SetEnumValue && ((SetEnumValue) st).size() > 0) {
            ValueVec elems = ((SetEnumValue) st).elems;
            for (int n = 0; n < elems.size(); n++) {
                enabled.get(tr).add(((StringValue) elems.elementAt(n)).getVal().toString());
            }
            return;
        }
        furthest.record(tr, i, st);
    }

    /** A record as a TLA+ record, renamed into trace k's namespace (slot n becomes event base + n). */
    private static Value record(int k, TraceRecord r, int evBase) {
        List<String> names = new ArrayList<>();
        List<Value> vals = new ArrayList<>();
        names.add("action");
        vals.add(new StringValue(r.action()));
        names.add("thread");
        vals.add(new StringValue(k + "/" + r.thread()));
        names.add("pid");
        vals.add(IntValue.gen(k * PID_STRIDE + r.pid()));
        for (Map.Entry<String, Object> f : r.fields().entrySet()) {
            Object v = f.getValue();
            if (v == null) {
                continue;
            }
            String name = f.getKey();
            if (name.equals("slot")) {
                name = "kev";
                v = ((Number) v).intValue() + evBase;
            } else if (name.equals("slots")) {
                v = ((List<?>) v).stream().map(x -> ((Number) x).intValue() + evBase).toList();
            } else if (name.equals("owners")) {
                v = ((List<?>) v).stream().map(x -> k * PID_STRIDE + ((Number) x).intValue()).toList();
            } else if (name.equals("alert_pid")) {
                v = ((Number) v).intValue() == 0 ? 0 : k * PID_STRIDE + ((Number) v).intValue();
            } else if (name.equals("refs")) {
                // <<pid, fd>> pairs of the descriptors holding the port (a cut: Segments)
                v = ((List<?>) v).stream().map(x -> List.of(k * PID_STRIDE + ((Number) ((List<?>) x).get(0)).intValue(),
                        ((Number) ((List<?>) x).get(1)).intValue())).toList();
            } else if (name.equals("child") || name.equals("owner") || name.equals("to") && r.action().equals("sendfd")) {
                v = k * PID_STRIDE + ((Number) v).intValue();
            } else if (ThreadSlots.THREAD_FIELDS.contains(name)) {
                v = renameThreads(k, v);
            }
            Value tv = value(v);
            if (tv != null) {
                names.add(name);
                vals.add(tv);
            }
        }
        return rec(names.toArray(new String[0]), vals.toArray(new Value[0]));
    }

    /** Thread names inside wake-up fields live in trace k's namespace too ("closecv" is not a thread). */
    private static Object renameThreads(int k, Object v) {
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object o : (List<?>) v) {
                out.add(renameThreads(k, o));
            }
            return out;
        }
        return "closecv".equals(v) ? v : k + "/" + v;
    }

    private static Value value(Object v) {
        if (v instanceof Boolean) {
            return (Boolean) v ? BoolValue.ValTrue : BoolValue.ValFalse;
        }
        if (v instanceof Number) {
            long l = ((Number) v).longValue();
            return l == (int) l ? IntValue.gen((int) l) : null;
        }
        if (v instanceof List) {
            List<?> list = (List<?>) v;
            Value[] vs = new Value[list.size()];
            for (int n = 0; n < vs.length; n++) {
                vs[n] = value(list.get(n));
                if (vs[n] == null) {
                    return null;
                }
            }
            return new TupleValue(vs);
        }
        return new StringValue(v.toString());
    }

    private static Value rec(String[] names, Value[] vals) {
        UniqueString[] us = new UniqueString[names.length];
        for (int n = 0; n < names.length; n++) {
            us[n] = UniqueString.uniqueStringOf(names[n]);
        }
        return new RecordValue(us, vals, false).normalize();
    }
}
