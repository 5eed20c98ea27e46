package eventports.explore;

import eventports.explore.Program.Call;
import eventports.explore.Program.ProcSpec;
import eventports.explore.Program.Ref;
import eventports.explore.Program.ThreadSpec;
import eventports.explore.Program.To;
import eventports.kernel.Ports;
import eventports.kernel.Profile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Structural shrinking after QuickTheories': greedily drop processes, threads, calls and
 * schedule values, and simplify arguments towards the most ordinary ones, keeping a change
 * whenever the program still breaks the same property. Every change makes the program strictly
 * smaller or simpler, so this ends; a budget of runs bounds it.
 */
public final class Minimizer {
    private final Profile profile;
    private final Explorer.Config config;
    private final Property property;
    private int runs;

    public Minimizer(Profile profile, Explorer.Config config, Property property) {
        this.profile = profile;
        this.config = config;
        this.property = property;
    }

    public int runs() {
        return runs;
    }

    /** Whether {@code p} still breaks the property (as a failure of this configuration). */
    public boolean fails(Program p) {
        return firstFailing(List.of(p)) == 0;
    }

    /**
     * The index of the first of these programs that still breaks the property, or -1. Every
     * check sees all their runs in one call, so a check that pays for a TLC start (trace
     * validation) pays once for the lot instead of once a candidate.
     */
    int firstFailing(List<Program> ps) {
        List<RunRecord> rs = new ArrayList<>();
        for (Program p : ps) {
            runs++;
            rs.add(Driver.run(p, profile, Schedule.of(p.schedule()), config.driver, "minimize-" + runs));
        }
        java.util.Set<String> failing = new java.util.HashSet<>();
        for (RunCheck c : config.checks()) {
            for (Violation v : c.check(rs)) {
                if (v.property() == property && config.isFailure(v, profile)) {
                    failing.add(v.runId());
                }
            }
        }
        for (int n = 0; n < rs.size(); n++) {
            if (failing.contains(rs.get(n).runId)) {
                return n;
            }
        }
        return -1;
    }

    /** Candidates tried per round of checks: one, unless a check batches (then its batch size). */
    private int chunk() {
        int n = 1;
        for (RunCheck c : config.checks()) {
            if (c.batchSize() > 1) {
                n = Math.max(n, Math.min(c.batchSize(), 64));
            }
        }
        return n;
    }

    public Program minimize(Program start) {
        Program best = start.normalized();
        if (!fails(best)) {
            return start; // not reproducible alone (should not happen: runs are deterministic)
        }
        // the choices the run made, as canonical values (small numbers naming threads)
        RunRecord first = Driver.run(best, profile, Schedule.of(best.schedule()), config.driver, "minimize-canon");
        runs++;
        Program canon = best.withSchedule(trimZeros(first.schedule));
        if (!canon.equals(best) && fails(canon)) {
            best = canon;
        }
        boolean changed = true;
        while (changed && runs < config.minimizeRuns) {
            changed = false;
            RunRecord last = Driver.run(best, profile, Schedule.of(best.schedule()), config.driver, "minimize-base");
            runs++;
            List<Program> smaller = new ArrayList<>();
            for (Program c : candidates(best, last)) {
                Program n = c.normalized();
                if (compare(n, best) < 0) {
                    smaller.add(n);
                }
            }
            // the first smaller candidate that still fails, tried in chunks (see chunk())
            for (int from = 0; from < smaller.size() && runs < config.minimizeRuns; from += chunk()) {
                List<Program> part = smaller.subList(from, Math.min(smaller.size(),
                        from + Math.min(chunk(), Math.max(1, config.minimizeRuns - runs))));
                int hit = firstFailing(part);
                if (hit >= 0) {
                    best = trimSchedule(part.get(hit));
                    changed = true;
                    break;
                }
            }
        }
        return best;
    }

    private static List<Integer> trimZeros(List<Integer> s) {
        List<Integer> l = new ArrayList<>(s);
        while (!l.isEmpty() && l.get(l.size() - 1) == 0) {
            l.remove(l.size() - 1); // trailing zeros are the default
        }
        return l;
    }

    /** Drop the schedule values the run never consumed. */
    Program trimSchedule(Program p) {
        RunRecord r = Driver.run(p, profile, Schedule.of(p.schedule()), config.driver, "minimize-trim");
        runs++;
        if (r.schedule.size() < p.schedule().size()) {
            Program q = p.withSchedule(p.schedule().subList(0, r.schedule.size()));
            if (fails(q)) {
                return q;
            }
        }
        return p;
    }

    /**
     * The order shrinking descends: size (calls, threads, processes, schedule length, settings),
     * then how unusual the arguments are, then the sum of the schedule values. Every candidate
     * is accepted only if it is smaller, so minimizing ends.
     */
    static int compare(Program a, Program b) {
        int c = Integer.compare(a.size(), b.size());
        if (c == 0) {
            c = Integer.compare(complexity(a), complexity(b));
        }
        if (c == 0) {
            c = Long.compare(a.schedule().stream().mapToLong(Integer::longValue).sum(),
                    b.schedule().stream().mapToLong(Integer::longValue).sum());
        }
        return c;
    }

    static int complexity(Program p) {
        int n = 0;
        for (ProcSpec ps : p.procs()) {
            n += Math.max(0, ps.forkAt());
            for (ThreadSpec t : ps.threads()) {
                for (Call c : t.calls()) {
                    n += complexity(c);
                }
            }
        }
        return n;
    }

    private static int complexity(Call c) {
        int n = (int) c.refs().stream().filter(r -> r != Ref.A).count();
        if (c instanceof Program.Sendn) {
            n += 2 + ((Program.Sendn) c).ports().size();
        } else if (c instanceof Program.Dispatch) {
            Program.Dispatch d = (Program.Dispatch) c;
            n += 2 + (d.noshare() ? 1 : 0) + (d.source() != Ports.PORT_SOURCE_AIO ? 1 : 0);
        } else if (c instanceof Program.Getn) {
            Program.Getn g = (Program.Getn) c;
            n += 2 + g.max() + g.nget() + (g.timeout() != To.NULL ? 1 : 0);
        } else if (c instanceof Program.Get) {
            n += ((Program.Get) c).timeout() != To.NULL ? 1 : 0;
        } else if (c instanceof Program.Alert) {
            n += ((Program.Alert) c).flags() != Ports.PORT_ALERT_SET ? 1 : 0;
        }
        return n;
    }

    /** Values that pick each thread's action (with and without a pause) and each environment slot. */
    private static List<Integer> simpleValues(Program p, Explorer.Config config) {
        List<Integer> l = new ArrayList<>();
        int n = Math.max(1, p.threadCount());
        for (int a = 0; a < n; a++) {
            l.add(a * 4);
            l.add(a * 4 + 3);
        }
        for (int e = 0; e < config.driver.advanceMillis.length + n; e++) {
            l.add(Schedule.ENV_THRESHOLD + e);
        }
        return l;
    }

    /**
     * The positions of the schedule values that chose steps of these calls in {@code run}
     * (their starts and awaits): removing a call together with them keeps the other choices
     * where they were.
     */
    private static List<Integer> choicesOf(RunRecord run, java.util.function.Predicate<CallLog> which) {
        java.util.TreeSet<Integer> pos = new java.util.TreeSet<>();
        if (run != null) {
            for (StepRecord s : run.steps) {
                if (s.choice() >= 0 && s.call() != null && which.test(s.call())) {
                    pos.add(s.choice());
                }
            }
        }
        return new ArrayList<>(pos.descendingSet());
    }

    /**
     * The schedule with thread number {@code actor} gone: values naming a later thread name the
     * thread before it (see {@link Schedule}: primary values {@code 4 * thread + pause}, environment
     * values {@code ENV_THRESHOLD + advances + thread}).
     */
    private Program renumber(Program p, int actor) {
        int adv = config.driver.advanceMillis.length;
        List<Integer> t = new ArrayList<>(p.schedule().size());
        for (int v : p.schedule()) {
            if (v < Schedule.ENV_THRESHOLD) {
                if (v / 4 > actor) {
                    v -= 4;
                }
            } else if (v - Schedule.ENV_THRESHOLD >= adv && v - Schedule.ENV_THRESHOLD - adv > actor) {
                v -= 1;
            }
            t.add(v);
        }
        return p.withSchedule(t);
    }

    private static Program without(Program p, List<Integer> positions) {
        List<Integer> t = new ArrayList<>(p.schedule());
        for (int i : positions) {
            if (i < t.size()) {
                t.remove(i);
            }
        }
        return p.withSchedule(t);
    }

    /** Smaller or simpler variants of {@code p}, the biggest cuts first; {@code run} is its run. */
    private List<Program> candidates(Program p, RunRecord run) {
        List<Program> l = new ArrayList<>();
        List<ProcSpec> procs = p.procs();
        // whole processes (not P1), with and without the choices of their calls
        int first = 0;
        for (int i = 0; i < procs.size(); i++) {
            int n = procs.get(i).threads().size();
            if (i >= 1) {
                List<ProcSpec> ps = new ArrayList<>(procs);
                ps.remove(i);
                String name = procs.get(i).name();
                Program q = without(p, choicesOf(run, c -> c.proc.equals(name)));
                for (int k = first + n - 1; k >= first; k--) {
                    q = renumber(q, k);
                }
                l.add(q.withProcs(ps));
                l.add(p.withProcs(ps));
            }
            first += n;
        }
        // whole threads (the schedule's values for later threads renumbered)
        int actor = 0;
        for (int i = 0; i < procs.size(); i++) {
            for (int j = 0; j < procs.get(i).threads().size(); j++, actor++) {
                int fi = i;
                int fj = j;
                String name = procs.get(i).threads().get(j).name();
                Program q = renumber(without(p, choicesOf(run, c -> c.actor.equals(name))), actor);
                l.add(editThreads(q, fi, ts -> ts.remove(fj)));
                l.add(editThreads(p, fi, ts -> ts.remove(fj)));
            }
        }
        // single calls with their choices
        for (int i = 0; i < procs.size(); i++) {
            for (int j = 0; j < procs.get(i).threads().size(); j++) {
                String name = procs.get(i).threads().get(j).name();
                for (int k = procs.get(i).threads().get(j).calls().size() - 1; k >= 0; k--) {
                    int fk = k;
                    List<Integer> pos = choicesOf(run, c -> c.actor.equals(name) && c.index == fk);
                    if (!pos.isEmpty()) {
                        l.add(without(editCalls(p, i, j, cs -> cs.remove(fk)), pos));
                    }
                }
            }
        }
        // schedule: halves, then single values
        List<Integer> s = p.schedule();
        if (s.size() > 1) {
            l.add(p.withSchedule(s.subList(0, s.size() / 2)));
            l.add(p.withSchedule(s.subList(s.size() / 2, s.size())));
        }
        // single calls
        for (int i = 0; i < procs.size(); i++) {
            for (int j = 0; j < procs.get(i).threads().size(); j++) {
                for (int k = procs.get(i).threads().get(j).calls().size() - 1; k >= 0; k--) {
                    int fk = k;
                    l.add(editCalls(p, i, j, cs -> cs.remove(fk)));
                }
            }
        }
        for (int i = 0; i < s.size(); i++) {
            List<Integer> t = new ArrayList<>(s);
            t.remove(i);
            l.add(p.withSchedule(t));
        }
        // simpler settings
        if (p.ports() > 1) {
            l.add(p.withLimits(1, p.nonPort(), p.maxEvents(), p.maxList()));
        }
        if (p.nonPort()) {
            l.add(p.withLimits(p.ports(), false, p.maxEvents(), p.maxList()));
        }
        if (p.maxEvents() < 65536) {
            l.add(p.withLimits(p.ports(), p.nonPort(), 65536, p.maxList()));
        }
        if (p.maxList() < 8192) {
            l.add(p.withLimits(p.ports(), p.nonPort(), p.maxEvents(), 8192));
        }
        for (int i = 1; i < procs.size(); i++) {
            if (procs.get(i).forkAt() != 0) {
                List<ProcSpec> ps = new ArrayList<>(procs);
                ps.set(i, new ProcSpec(procs.get(i).name(), 0, procs.get(i).threads()));
                l.add(p.withProcs(ps));
            }
        }
        for (int i = 0; i < s.size(); i++) {
            int v = s.get(i);
            List<Integer> simpler = new ArrayList<>();
            if (v >= Schedule.ENV_THRESHOLD) {
                simpler.add(Schedule.ENV_THRESHOLD);
            } else {
                simpler.add(0);
                simpler.add(v / 4 * 4); // same thread, no pause
            }
            for (int w : simpler) {
                if (w != v) {
                    List<Integer> t = new ArrayList<>(s);
                    t.set(i, w);
                    l.add(p.withSchedule(t));
                }
            }
        }
        // two choices into one: drop a value and let the next take any of the simplest values
        if (s.size() <= 24) {
            List<Integer> simple = simpleValues(p, config);
            for (int i = 0; i + 1 < s.size(); i++) {
                for (int v : simple) {
                    if (v != s.get(i + 1)) {
                        List<Integer> t = new ArrayList<>(s);
                        t.remove(i);
                        t.set(i, v);
                        l.add(p.withSchedule(t));
                    }
                }
            }
        }
        // simpler arguments
        for (int i = 0; i < procs.size(); i++) {
            for (int j = 0; j < procs.get(i).threads().size(); j++) {
                List<Call> calls = procs.get(i).threads().get(j).calls();
                for (int k = 0; k < calls.size(); k++) {
                    for (Call c : simpler(calls.get(k))) {
                        int fk = k;
                        l.add(editCalls(p, i, j, cs -> cs.set(fk, c)));
                    }
                }
            }
        }
        return l;
    }

    /** Simpler versions of one call (each strictly closer to the canonical arguments). */
    static List<Call> simpler(Call c) {
        List<Call> l = new ArrayList<>();
        if (c.refs().stream().anyMatch(r -> r != Ref.A)) {
            l.add(c.mapRefs(r -> Ref.A));
        }
        if (c instanceof Program.Sendn) {
            Program.Sendn s = (Program.Sendn) c;
            for (int i = 0; i < s.ports().size() && s.ports().size() > 1; i++) {
                List<Ref> ps = new ArrayList<>(s.ports());
                ps.remove(i);
                l.add(new Program.Sendn(ps, s.events()));
            }
            l.add(new Program.Send(s.ports().isEmpty() ? Ref.A : s.ports().get(0), s.events()));
        } else if (c instanceof Program.Dispatch) {
            Program.Dispatch d = (Program.Dispatch) c;
            if (d.noshare()) {
                l.add(new Program.Dispatch(d.port(), d.source(), false, d.events()));
            }
            if (d.source() != Ports.PORT_SOURCE_AIO) {
                l.add(new Program.Dispatch(d.port(), Ports.PORT_SOURCE_AIO, d.noshare(), d.events()));
            }
            l.add(new Program.Send(d.port(), d.events()));
        } else if (c instanceof Program.Getn) {
            Program.Getn g = (Program.Getn) c;
            if (g.timeout() != To.NULL) {
                l.add(new Program.Getn(g.port(), g.max(), g.nget(), To.NULL));
            }
            if (g.max() > 1 && g.nget() <= g.max() - 1) {
                l.add(new Program.Getn(g.port(), g.max() - 1, g.nget(), g.timeout()));
            }
            if (g.nget() > 1) {
                l.add(new Program.Getn(g.port(), g.max(), g.nget() - 1, g.timeout()));
            }
            if (g.max() == 1 && g.nget() == 1) {
                l.add(new Program.Get(g.port(), g.timeout()));
            }
        } else if (c instanceof Program.Get) {
            Program.Get g = (Program.Get) c;
            if (g.timeout() != To.NULL) {
                l.add(new Program.Get(g.port(), To.NULL));
            }
        } else if (c instanceof Program.Alert) {
            Program.Alert a = (Program.Alert) c;
            if (a.flags() != Ports.PORT_ALERT_SET) {
                l.add(new Program.Alert(a.port(), Ports.PORT_ALERT_SET, a.events()));
            }
        }
        return l;
    }

    private static Program editThreads(Program p, int proc, Consumer<List<ThreadSpec>> edit) {
        List<ProcSpec> ps = new ArrayList<>(p.procs());
        List<ThreadSpec> ts = new ArrayList<>(ps.get(proc).threads());
        edit.accept(ts);
        ps.set(proc, new ProcSpec(ps.get(proc).name(), ps.get(proc).forkAt(), ts));
        return p.withProcs(ps);
    }

    private static Program editCalls(Program p, int proc, int thread, Consumer<List<Call>> edit) {
        return editThreads(p, proc, ts -> {
            List<Call> cs = new ArrayList<>(ts.get(thread).calls());
            edit.accept(cs);
            ts.set(thread, new ThreadSpec(ts.get(thread).name(), cs));
        });
    }
}
