package eventports.explore;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.conformance.CallResult;
import eventports.conformance.Scenario;
import eventports.conformance.ScenarioException;
import eventports.conformance.ScenarioRun;
import eventports.explore.Program.Call;
import eventports.explore.Program.Ref;
import eventports.explore.StepRecord.Phase;
import eventports.kernel.Errno;
import eventports.kernel.Port;
import eventports.kernel.PortEvent;
import eventports.kernel.PortQueue;
import eventports.kernel.Ports;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.sched.DetSched;
import eventports.trace.TraceRecord;
import eventports.trace.TraceSink;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a program and a schedule into a run: a sequence of FORMAT.md steps, each executed
 * through {@link ScenarioRun#execute} and recorded with its observed outcome as {@code expect},
 * so that every run is a conformance scenario.
 *
 * <p>Phases: the <em>prologue</em> (P1's first thread creates the ports, P1 opens F, the forks
 * made at the start); the <em>main</em> phase, where the schedule chooses every step (start an
 * idle thread's next call, with or without {@code "pause": "delivery"}; await a woken or paused
 * thread; advance time; interrupt a blocked or paused thread), forks happening after their
 * number of steps; the <em>settle</em> phase (time past every deadline, every woken thread
 * run, every remaining call started, until nothing changes); the <em>drain</em> (a fresh
 * thread of a process that still holds each port clears an alert, polls the leftovers out and
 * asks for the count); a second settle; {@code expect_blocked} for every thread left waiting.
 * A step that crashes the seed (PANIC) or breaks (BROKEN) ends the run.
 */
public final class Driver {
    /** How a run is driven. */
    public static final class Options {
        public int advanceBudget = 3;
        public int interruptBudget = 3;
        public int stepCap = 400;
        public boolean drain = true;
        public RunDoctoring doctoring = RunDoctoring.NONE;
        /** Deliberate mistakes switched on in the core ({@link eventports.kernel.PortSystem#inject}). */
        public java.util.Set<eventports.kernel.CoreFault> coreFaults = java.util.EnumSet.noneOf(eventports.kernel.CoreFault.class);
        /** Systematic mode: states seen so far; a run that reaches one stops there (pruned). */
        public Set<StateKey> stateSpace;
        public long watchdogMillis = 10_000;
        /** Virtual milliseconds of the two advance options. */
        public long[] advanceMillis = {10, 2000};

        public Options copy() {
            Options o = new Options();
            o.advanceBudget = advanceBudget;
            o.interruptBudget = interruptBudget;
            o.stepCap = stepCap;
            o.drain = drain;
            o.doctoring = doctoring;
            o.coreFaults = coreFaults.isEmpty() ? java.util.EnumSet.noneOf(eventports.kernel.CoreFault.class)
                    : java.util.EnumSet.copyOf(coreFaults);
            o.stateSpace = stateSpace;
            o.watchdogMillis = watchdogMillis;
            o.advanceMillis = advanceMillis.clone();
            return o;
        }
    }

    /** A state of the systematic mode's state space (a 96-bit digest of the observable state). */
    public record StateKey(long a, int b) {
    }

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The settle phase's advance: past every timeout a program can pass. */
    static final long SETTLE_MILLIS = 1_000_000;
    private static final int SETTLE_CAP = 3000;

    private final Program program;
    private final Profile profile;
    private final Schedule schedule;
    private final Options opt;
    private final String runId;

    private final Sink sink = new Sink();
    private ScenarioRun run;
    private final ArrayNode steps = JSON.arrayNode();
    private final List<StepRecord> log = new ArrayList<>();
    private final List<CallLog> calls = new ArrayList<>();
    private final List<Actor> actors = new ArrayList<>();
    private final Map<String, Boolean> forked = new LinkedHashMap<>();
    private final Map<Ref, Integer> fds = new EnumMap<>(Ref.class);
    private final Map<Ref, Port> ports = new EnumMap<>(Ref.class);
    private final Map<Ref, Integer> portIds = new EnumMap<>(Ref.class);
    private final Map<String, Integer> pids = new LinkedHashMap<>();
    private final List<Violation> driverViolations = new ArrayList<>();
    private int advances;
    private int interrupts;
    private int choices;
    /** The values of the choices made (canonical: they make the same choices again). */
    private final List<Integer> taken = new ArrayList<>();
    /** Program threads (the first actors); drain threads come after them. */
    private int programActors;
    private boolean aborted;
    private boolean pruned;
    /** Position of the schedule value behind the step being taken, or -1. */
    private int choosing = -1;
    /** Per port id: the users of events sent and not yet delivered or discarded, in send order (for state keys). */
    private final Map<Integer, LinkedHashMap<Long, String>> pending = new LinkedHashMap<>();

    private Driver(Program program, Profile profile, Schedule schedule, Options opt, String runId) {
        this.program = program.normalized();
        this.profile = profile;
        this.schedule = schedule;
        this.opt = opt;
        this.runId = runId;
    }

    /** Run {@code program} in {@code profile} under {@code schedule}. Never throws for what the core does. */
    public static RunRecord run(Program program, Profile profile, Schedule schedule, Options opt, String runId) {
        return new Driver(program, profile, schedule, opt, runId).execute();
    }

    /** A logical thread: a program thread or the drain thread of a process. */
    private static final class Actor {
        final String name;
        final String proc;
        final List<Call> calls;
        final boolean drain;
        int next;
        CallLog current;

        Actor(String name, String proc, List<Call> calls, boolean drain) {
            this.name = name;
            this.proc = proc;
            this.calls = new ArrayList<>(calls);
            this.drain = drain;
        }

        String sim() {
            return current != null ? current.simThread : name;
        }
    }

    /** Collects the trace in emission order (one simulated thread runs at a time: that is seq order). */
    private final class Sink implements TraceSink {
        final List<TraceRecord> records = new ArrayList<>();
        private int deliveries;

        @Override
        public synchronized void record(TraceRecord r) {
            if (opt.doctoring == RunDoctoring.DROP_TRACE && "port_copy_event".equals(r.action())
                    && "deliver".equals(r.get("outcome")) && (deliveries++ % 2) == 1) {
                return;
            }
            records.add(r);
        }

        synchronized int size() {
            return records.size();
        }

        synchronized List<TraceRecord> snapshot() {
            return List.copyOf(records);
        }
    }

    // ---- the run ------------------------------------------------------------------------

    private RunRecord execute() {
        EndState settled = null;
        EndState last = null;
        ObjectNode root = JSON.objectNode();
        root.put("name", runId);
        root.put("about", "");
        root.put("profile", profile.id());
        ObjectNode limits = root.putObject("limits");
        limits.put("port_max_events", program.maxEvents());
        limits.put("port_max_list", program.maxList());
        try {
            ObjectNode empty = root.deepCopy();
            empty.set("steps", JSON.arrayNode());
            Scenario sc = Scenario.fromJson(empty, null);
            run = new ScenarioRun(sc, profile, sink);
            run.sched().setWatchdog(opt.watchdogMillis);
            for (eventports.kernel.CoreFault f : opt.coreFaults) {
                run.system().inject(f);
            }
            for (Program.ProcSpec p : program.procs()) {
                for (Program.ThreadSpec t : p.threads()) {
                    actors.add(new Actor(t.name(), p.name(), t.calls(), false));
                }
            }
            programActors = actors.size();
            prologue();
            if (!aborted) {
                mainPhase();
            }
            if (!aborted && !pruned) {
                settle();
            }
            if (!aborted && !pruned) {
                settled = endState();
                if (opt.drain) {
                    drain();
                    if (!aborted) {
                        settle();
                    }
                }
                if (!aborted) {
                    last = endState();
                    for (EndState.Blocked b : last.blocked()) {
                        if (b.state().equals("BLOCKED") && !b.runnable()) {
                            ObjectNode s = JSON.objectNode();
                            s.put("op", "expect_blocked");
                            s.put("thread", b.call().simThread);
                            steps.add(s);
                        }
                    }
                }
            }
        } catch (ScenarioException | RuntimeException e) {
            aborted = true;
            driverViolations.add(new Violation(runId, Property.BROKEN, log.size(), null, "driver: " + e));
        } finally {
            if (run != null) {
                run.shutdown();
            }
        }
        root.set("steps", steps);
        return new RunRecord(runId, profile, program, root, sink.snapshot(), List.copyOf(log), List.copyOf(calls),
                Map.copyOf(portIds), Map.copyOf(fds), Map.copyOf(pids), settled, last, aborted, pruned,
                List.copyOf(driverViolations), List.copyOf(taken));
    }

    private void prologue() throws ScenarioException {
        Program.ProcSpec p1 = program.procs().get(0);
        String t0 = p1.threads().isEmpty() ? "T0" : p1.threads().get(0).name();
        forked.put("P1", true);
        for (int i = 0; i < program.ports() && !aborted; i++) {
            Ref r = i == 0 ? Ref.A : Ref.B;
            ObjectNode s = JSON.objectNode();
            s.put("op", "port_create");
            s.put("thread", t0);
            s.put("proc", "P1");
            s.put("as", r.json());
            CallResult res = step(s, Phase.PROLOGUE, null, null);
            if (res != null && res.kind() == CallResult.Kind.RETURNED) {
                int fd = (int) res.ret();
                fds.put(r, fd);
                Port port = CoreProbe.port(run.process("P1"), fd);
                if (port == null) {
                    throw new IllegalStateException("cannot reach the port behind fd " + fd
                            + " (CoreProbe: Proc.getf changed?)");
                }
                ports.put(r, port);
                portIds.put(r, port.id);
            } else {
                aborted = true;
            }
        }
        pids.put("P1", run.process("P1").pid);
        if (program.nonPort() && !aborted) {
            List<Integer> before = run.process("P1").openFds();
            ObjectNode s = JSON.objectNode();
            s.put("op", "fd_open");
            s.put("proc", "P1");
            s.put("as", "F");
            step(s, Phase.PROLOGUE, null, null);
            for (int fd : run.process("P1").openFds()) {
                if (!before.contains(fd)) {
                    fds.put(Ref.F, fd);
                }
            }
        }
        fds.put(Ref.BAD, 999);
        for (Program.ProcSpec p : program.procs()) {
            if (p.forkAt() == 0 && !aborted) {
                fork(p.name(), Phase.PROLOGUE);
            }
        }
    }

    private void fork(String child, Phase phase) throws ScenarioException {
        ObjectNode s = JSON.objectNode();
        s.put("op", "fork");
        s.put("proc", "P1");
        s.put("child", child);
        step(s, phase, null, null);
        forked.put(child, true);
        Proc p = run.process(child);
        if (p != null) {
            pids.put(child, p.pid);
        }
    }

    private void forkPending(Phase phase) throws ScenarioException {
        for (Program.ProcSpec p : program.procs()) {
            if (p.forkAt() >= 0 && !forked.containsKey(p.name()) && !aborted) {
                fork(p.name(), phase);
            }
        }
    }

    // ---- main phase ------------------------------------------------------------------------

    /** One thing the driver may do next. */
    private record Option(char kind, Actor actor, long ms) {
        // kind: 'w' await, 's' start, 'p' start paused, 'x' stop, 'a' advance, 'i' interrupt
    }

    private void mainPhase() throws ScenarioException {
        while (!aborted) {
            for (Program.ProcSpec p : program.procs()) {
                if (p.forkAt() > 0 && p.forkAt() <= choices && !forked.containsKey(p.name())) {
                    fork(p.name(), Phase.MAIN);
                }
            }
            if (aborted || log.size() >= opt.stepCap) {
                break;
            }
            List<Option> primary = primaryOptions(true);
            boolean stopOnly = primary.isEmpty();
            if (stopOnly) {
                primary.add(new Option('x', null, 0));
            }
            List<Option> env = envOptions();
            Point point = new Point(primary, env);
            int k = schedule.choose(point);
            taken.add(point.valueOf(k));
            choices++;
            Option o = point.opts.get(k);
            if (o.kind() == 'x') {
                break;
            }
            choosing = choices - 1;
            perform(o, Phase.MAIN);
            choosing = -1;
            if (opt.stateSpace != null && !aborted && !schedule.replaying() && !opt.stateSpace.add(stateKey())) {
                pruned = true;
                break;
            }
        }
    }

    /** A choice point: the options, and values that name them by thread (see {@link Schedule}). */
    private final class Point implements Schedule.Point {
        final List<Option> opts = new ArrayList<>();
        final int primary;
        final int n = Math.max(1, programActors);
        final int slots = opt.advanceMillis.length + n;

        Point(List<Option> primary, List<Option> env) {
            opts.addAll(primary);
            opts.addAll(env);
            this.primary = primary.size();
        }

        @Override
        public int size() {
            return opts.size();
        }

        @Override
        public int indexOf(int v) {
            if (v >= Schedule.ENV_THRESHOLD && opts.size() > primary) {
                int slot = (v - Schedule.ENV_THRESHOLD) % slots;
                for (int d = 0; d < slots; d++) {
                    int idx = envIndex((slot + d) % slots);
                    if (idx >= 0) {
                        return idx;
                    }
                }
            }
            if (opts.get(0).kind() == 'x') {
                return 0;
            }
            int w = v >= Schedule.ENV_THRESHOLD ? v - Schedule.ENV_THRESHOLD : v;
            int a = (w / 4) % n;
            boolean pause = w % 4 == 3;
            for (int d = 0; d < n; d++) {
                int idx = primaryIndex((a + d) % n, pause);
                if (idx >= 0) {
                    return idx;
                }
            }
            return 0;
        }

        private int primaryIndex(int actor, boolean pause) {
            Actor want = actors.get(actor);
            int plain = -1;
            for (int i = 0; i < primary; i++) {
                Option o = opts.get(i);
                if (o.actor() == want) {
                    if (o.kind() == 'p') {
                        if (pause) {
                            return i;
                        }
                    } else if (plain < 0) {
                        plain = i;
                    }
                }
            }
            return plain;
        }

        private int envIndex(int slot) {
            for (int i = primary; i < opts.size(); i++) {
                Option o = opts.get(i);
                if (slot < opt.advanceMillis.length ? o.kind() == 'a' && o.ms() == opt.advanceMillis[slot]
                        : o.kind() == 'i' && o.actor() == actors.get(slot - opt.advanceMillis.length)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public int valueOf(int index) {
            Option o = opts.get(index);
            switch (o.kind()) {
                case 'w':
                case 's':
                    return actors.indexOf(o.actor()) * 4;
                case 'p':
                    return actors.indexOf(o.actor()) * 4 + 3;
                case 'a':
                    for (int k = 0; k < opt.advanceMillis.length; k++) {
                        if (opt.advanceMillis[k] == o.ms()) {
                            return Schedule.ENV_THRESHOLD + k;
                        }
                    }
                    return Schedule.ENV_THRESHOLD;
                case 'i':
                    return Schedule.ENV_THRESHOLD + opt.advanceMillis.length + actors.indexOf(o.actor());
                default:
                    return 0;
            }
        }
    }

    private List<Option> primaryOptions(boolean withPause) {
        List<Option> l = new ArrayList<>();
        for (Actor a : actors) {
            if (a.current != null && runnable(a.current.simThread)) {
                l.add(new Option('w', a, 0));
            }
        }
        List<Actor> startable = new ArrayList<>();
        for (Actor a : actors) {
            if (startable(a)) {
                startable.add(a);
                l.add(new Option('s', a, 0));
            }
        }
        if (withPause) {
            for (Actor a : startable) {
                Call c = a.calls.get(a.next);
                if (c instanceof Program.Get || c instanceof Program.Getn) {
                    l.add(new Option('p', a, 0));
                }
            }
        }
        return l;
    }

    private List<Option> envOptions() {
        List<Option> l = new ArrayList<>();
        if (advances < opt.advanceBudget) {
            for (long ms : opt.advanceMillis) {
                l.add(new Option('a', null, ms));
            }
        }
        if (interrupts < opt.interruptBudget) {
            for (Actor a : actors) {
                if (a.current != null) {
                    DetSched.SimThread t = run.sched().find(a.current.simThread);
                    if (t != null && (t.state() == DetSched.State.BLOCKED || t.state() == DetSched.State.PAUSED)) {
                        l.add(new Option('i', a, 0));
                    }
                }
            }
        }
        return l;
    }

    private boolean runnable(String sim) {
        DetSched.SimThread t = run.sched().find(sim);
        return t != null && t.runnable();
    }

    private boolean startable(Actor a) {
        if (a.current != null || a.next >= a.calls.size() || !forked.containsKey(a.proc)) {
            return false;
        }
        DetSched.SimThread own = run.sched().find(a.name);
        if (own != null && own.state() != DetSched.State.IDLE) {
            return false;
        }
        if (a.calls.get(a.next) instanceof Program.Exit) {
            DetSched.SimThread t = run.sched().find(a.proc + "#exit");
            return t == null || t.state() == DetSched.State.IDLE;
        }
        return true;
    }

    private void perform(Option o, Phase phase) throws ScenarioException {
        switch (o.kind()) {
            case 'w':
                await(o.actor(), phase);
                break;
            case 's':
                start(o.actor(), false, phase);
                break;
            case 'p':
                start(o.actor(), true, phase);
                break;
            case 'a':
                advance(o.ms(), phase);
                advances++;
                break;
            case 'i':
                interrupt(o.actor(), phase);
                interrupts++;
                break;
            default:
                throw new IllegalStateException("option " + o.kind());
        }
    }

    // ---- steps ----------------------------------------------------------------------------

    private void start(Actor a, boolean pause, Phase phase) throws ScenarioException {
        int idx = a.next++;
        Call c = a.calls.get(idx);
        String user = a.name + "." + idx;
        String sim = c instanceof Program.Exit ? a.proc + "#exit" : a.name;
        ObjectNode s = callJson(a, c, user, pause);
        CallLog cl = new CallLog(a.name, a.proc, sim, idx, c, user, pause, a.drain, log.size() + 1);
        calls.add(cl);
        a.current = cl;
        CallResult r;
        if (opt.doctoring == RunDoctoring.DROP_SEND && c instanceof Program.Send) {
            r = recordOnly(s, phase, a, cl, new CallResult(CallResult.Kind.RETURNED, 0, null, null, null, null, false,
                    null));
        } else {
            r = step(s, phase, a, cl);
        }
        cl.startObs = log.get(cl.startStep - 1).pre();
        ended(a, cl, r);
    }

    private void await(Actor a, Phase phase) throws ScenarioException {
        CallLog cl = a.current;
        ObjectNode s = JSON.objectNode();
        s.put("op", "await");
        s.put("thread", cl.simThread);
        CallResult r = step(s, phase, a, cl);
        ended(a, cl, r);
    }

    private void interrupt(Actor a, Phase phase) throws ScenarioException {
        CallLog cl = a.current;
        ObjectNode s = JSON.objectNode();
        s.put("op", "interrupt");
        s.put("thread", cl.simThread);
        step(s, phase, a, cl);
        cl.interrupted = true;
    }

    private void advance(long ms, Phase phase) throws ScenarioException {
        ObjectNode s = JSON.objectNode();
        s.put("op", "advance");
        s.put("ms", ms);
        step(s, phase, null, null);
    }

    private void ended(Actor a, CallLog cl, CallResult r) {
        if (r == null) {
            return;
        }
        switch (r.kind()) {
            case BLOCKED:
            case PAUSED:
                return;
            default:
                cl.endStep = log.size();
                cl.result = r;
                cl.endObs = log.get(log.size() - 1).pre();
                a.current = null;
        }
    }

    /** Execute one step, record it with its outcome and what the driver saw before it. */
    private CallResult step(ObjectNode s, Phase phase, Actor a, CallLog cl) throws ScenarioException {
        Obs pre = observe();
        int from = sink.size();
        CallResult r;
        try {
            r = run.execute(s);
        } catch (ScenarioException e) {
            r = broken("scenario error: " + e.getMessage());
        } catch (RuntimeException e) {
            r = broken("runner fault: " + e);
        }
        r = doctor(s, r);
        int to = sink.size();
        return record(s, phase, a, cl, r, pre, from, to);
    }

    private CallResult recordOnly(ObjectNode s, Phase phase, Actor a, CallLog cl, CallResult r) {
        Obs pre = observe();
        int n = sink.size();
        return record(s, phase, a, cl, r, pre, n, n);
    }

    private CallResult record(ObjectNode s, Phase phase, Actor a, CallLog cl, CallResult r, Obs pre, int from, int to) {
        if (r != null) {
            s.set("expect", expectOf(r));
        }
        steps.add(s);
        StepRecord rec = new StepRecord(log.size() + 1, s, phase, a == null ? null : a.name, cl, r, pre, from, to,
                choosing);
        log.add(rec);
        trackPending(from, to);
        if (r != null && (r.kind() == CallResult.Kind.PANIC || r.kind() == CallResult.Kind.BROKEN)) {
            aborted = true;
            if (r.kind() == CallResult.Kind.BROKEN) {
                driverViolations.add(new Violation(runId, Property.BROKEN, rec.index(), null, r.message()));
            }
        }
        return r;
    }

    private static CallResult broken(String message) {
        return new CallResult(CallResult.Kind.BROKEN, 0, null, null, null, null, false, message);
    }

    /** The deliberately broken variants that doctor an outcome (tests of the checks' teeth). */
    private CallResult doctor(ObjectNode s, CallResult r) {
        if (r == null || opt.doctoring == RunDoctoring.NONE) {
            return r;
        }
        String op = s.path("op").asText();
        boolean getn = op.equals("port_getn") || (op.equals("await") && isGetn(s.path("thread").asText()));
        switch (opt.doctoring) {
            case DROP_EVENT:
                if (getn && r.events() != null && r.events().size() >= 2) {
                    List<PortEvent> ev = new ArrayList<>(r.events());
                    ev.remove(ev.size() - 1);
                    return new CallResult(r.kind(), r.ret(), r.errno(), r.nget(), ev, r.errors(), r.errorsWritten(),
                            r.message());
                }
                return r;
            case DUPLICATE_EVENT:
                if (getn && r.events() != null && !r.events().isEmpty() && r.kind() == CallResult.Kind.RETURNED) {
                    List<PortEvent> ev = new ArrayList<>(r.events());
                    ev.add(ev.get(0));
                    return new CallResult(r.kind(), r.ret(), r.errno(), ev.size(), ev, r.errors(), r.errorsWritten(),
                            r.message());
                }
                return r;
            case WRONG_ERRNO:
                if (r.kind() == CallResult.Kind.ERRNO && "ETIME".equals(r.errno())) {
                    return new CallResult(r.kind(), r.ret(), "EINTR", r.nget(), r.events(), r.errors(),
                            r.errorsWritten(), r.message());
                }
                return r;
            default:
                return r;
        }
    }

    private boolean isGetn(String sim) {
        for (Actor a : actors) {
            if (a.current != null && a.current.simThread.equals(sim)) {
                return a.current.call instanceof Program.Getn;
            }
        }
        return false;
    }

    // ---- settle and drain -----------------------------------------------------------------

    /** Time past every deadline; run every woken thread and start every remaining call; until quiet. */
    private void settle() throws ScenarioException {
        forkPending(Phase.SETTLE);
        int guard = 0;
        for (int round = 0; round < 20 && !aborted; round++) {
            while (!aborted && guard++ < SETTLE_CAP) {
                List<Option> l = primaryOptions(false);
                if (l.isEmpty()) {
                    break;
                }
                perform(l.get(0), Phase.SETTLE);
            }
            if (aborted || guard >= SETTLE_CAP) {
                break;
            }
            if (actors.stream().noneMatch(a -> a.current != null && timed(a.current))) {
                break; // nobody waits with a deadline: time changes nothing
            }
            advance(SETTLE_MILLIS, Phase.SETTLE);
            if (primaryOptions(false).isEmpty()) {
                break;
            }
        }
        if (guard >= SETTLE_CAP) {
            driverViolations.add(new Violation(runId, Property.STUCK, log.size(), null,
                    "the settle phase did not become quiet within " + SETTLE_CAP + " steps: threads keep waking"
                            + " each other (livelock)"));
            aborted = true;
        }
    }

    /** A call that may be waiting with a deadline (a retrieval with a positive timeout, not yet timed out). */
    private boolean timed(CallLog c) {
        Program.To t = c.call instanceof Program.Get ? ((Program.Get) c.call).timeout()
                : c.call instanceof Program.Getn ? ((Program.Getn) c.call).timeout() : null;
        if (t == null || !t.positive()) {
            return false;
        }
        DetSched.SimThread th = run.sched().find(c.simThread);
        return th != null && th.state() == DetSched.State.BLOCKED && !th.runnable();
    }

    /**
     * For each port that some process still holds and that is not closing: a fresh thread of
     * that process clears an alert, polls until nothing comes, and asks for the count.
     */
    private void drain() throws ScenarioException {
        for (Ref r : List.of(Ref.A, Ref.B)) {
            if (!ports.containsKey(r) || aborted) {
                continue;
            }
            PortQueue.Snapshot snap = ports.get(r).queue().snapshot();
            if ((snap.flags() & Ports.PORTQ_CLOSE) != 0) {
                continue;
            }
            String holder = null;
            for (String p : forked.keySet()) {
                Proc proc = run.process(p);
                if (proc != null && proc.openFds().contains(fds.get(r))) {
                    holder = p;
                    break;
                }
            }
            if (holder == null) {
                continue;
            }
            Actor d = drainActor(holder);
            if ((snap.flags() & Ports.PORTQ_ALERT) != 0) {
                drainCall(d, new Program.Alert(r, 0, 0));
            }
            for (int i = 0; i < 8 && !aborted; i++) {
                CallResult res = drainCall(d, new Program.Getn(r, 64, 1, Program.To.ZERO));
                if (res == null || res.kind() != CallResult.Kind.RETURNED || res.events() == null
                        || res.events().size() < 64) {
                    break; // the poll took everything it could
                }
            }
            if (!aborted) {
                drainCall(d, new Program.Getn(r, 0, 0, Program.To.ZERO));
            }
        }
    }

    private Actor drainActor(String proc) {
        String name = "drain-" + proc;
        for (Actor a : actors) {
            if (a.name.equals(name)) {
                return a;
            }
        }
        Actor a = new Actor(name, proc, List.of(), true);
        actors.add(a);
        return a;
    }

    private CallResult drainCall(Actor d, Call c) throws ScenarioException {
        if (d.current != null) {
            return null; // still blocked from an earlier drain call
        }
        d.calls.add(c);
        start(d, false, Phase.DRAIN);
        CallLog cl = calls.get(calls.size() - 1);
        return cl.result;
    }

    private EndState endState() {
        List<EndState.Blocked> blocked = new ArrayList<>();
        for (Actor a : actors) {
            if (a.current != null) {
                DetSched.SimThread t = run.sched().find(a.current.simThread);
                blocked.add(new EndState.Blocked(a.current, t == null ? "IDLE" : t.state().name(),
                        t != null && t.runnable()));
            }
        }
        return new EndState(log.size(), observe(), List.copyOf(blocked));
    }

    // ---- observation --------------------------------------------------------------------

    private Obs observe() {
        Map<Ref, PortQueue.Snapshot> snaps = new EnumMap<>(Ref.class);
        Map<Ref, Integer> curr = new EnumMap<>(Ref.class);
        for (Map.Entry<Ref, Port> e : ports.entrySet()) {
            snaps.put(e.getKey(), e.getValue().queue().snapshot());
            curr.put(e.getKey(), e.getValue().curr());
        }
        Map<String, List<Integer>> open = new LinkedHashMap<>();
        for (String p : forked.keySet()) {
            Proc proc = run.process(p);
            open.put(p, proc == null ? List.of() : proc.openFds());
        }
        return new Obs(run.sched().nowNanos(), snaps, curr, open);
    }

    private void trackPending(int from, int to) {
        List<TraceRecord> recs = sink.records;
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
                        pending.computeIfAbsent(r.port(), x -> new LinkedHashMap<>()).put(k, userOf(r));
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

    private String userOf(TraceRecord r) {
        for (Actor a : actors) {
            if (a.current != null && a.current.simThread.equals(r.thread())) {
                return a.current.user;
            }
        }
        return "?";
    }

    /** A digest of everything observable that the rest of the run can depend on. */
    private StateKey stateKey() {
        StringBuilder b = new StringBuilder(512);
        b.append(run.sched().nowNanos()).append('|').append(advances).append(',').append(interrupts).append('|');
        b.append(forked.keySet()).append('|');
        for (Actor a : actors) {
            b.append(a.name).append(':').append(a.next);
            CallLog c = a.current;
            if (c != null) {
                DetSched.SimThread t = run.sched().find(c.simThread);
                b.append('/').append(t == null ? "-" : t.state().name().charAt(0)).append(t != null && t.runnable())
                        .append(c.interrupted).append(c.startObs == null ? 0 : c.startObs.now());
                TraceRecord lastRec = lastRecordOf(c.simThread, log.get(c.startStep - 1).traceFrom());
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
        Obs o = observe();
        b.append(o.openFds()).append('|');
        for (Map.Entry<Ref, Port> e : ports.entrySet()) {
            b.append(e.getKey()).append(o.snap(e.getKey())).append(o.curr().get(e.getKey()));
            List<Object> q = CoreProbe.queueUsers(e.getValue());
            List<String> w = CoreProbe.waiters(e.getValue());
            if (q == null || w == null) {
                b.append(log.size()).append(runId); // not observable: never merge
            }
            b.append(q).append(w).append(pending.get(e.getValue().id) == null ? "" : pending.get(e.getValue().id).values());
        }
        String s = b.toString();
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

    private TraceRecord lastRecordOf(String thread, int from) {
        List<TraceRecord> recs = sink.records;
        for (int i = recs.size() - 1; i >= from; i--) {
            if (thread.equals(recs.get(i).thread())) {
                return recs.get(i);
            }
        }
        return null;
    }

    // ---- JSON -------------------------------------------------------------------------------

    private ObjectNode callJson(Actor a, Call c, String user, boolean pause) {
        ObjectNode s = JSON.objectNode();
        if (c instanceof Program.Exit) {
            s.put("op", "exit");
            s.put("proc", a.proc);
            return s;
        }
        if (c instanceof Program.Send) {
            Program.Send x = (Program.Send) c;
            head(s, "port_send", a);
            s.put("port", x.port().json());
            s.put("events", x.events());
            s.put("user", user);
        } else if (c instanceof Program.Sendn) {
            Program.Sendn x = (Program.Sendn) c;
            head(s, "port_sendn", a);
            ArrayNode l = s.putArray("ports");
            x.ports().forEach(r -> l.add(r.json()));
            s.put("events", x.events());
            s.put("user", user);
        } else if (c instanceof Program.Dispatch) {
            Program.Dispatch x = (Program.Dispatch) c;
            head(s, "port_dispatch", a);
            s.put("port", x.port().json());
            String src = Ports.sourceName(x.source());
            if (src.startsWith("PORT_SOURCE_")) {
                s.put("source", src);
            } else {
                s.put("source", x.source());
            }
            s.put("events", x.events());
            s.put("object", 1000 + x.source());
            s.put("user", user);
            s.put("noshare", x.noshare());
        } else if (c instanceof Program.Alert) {
            Program.Alert x = (Program.Alert) c;
            head(s, "port_alert", a);
            s.put("port", x.port().json());
            if (x.flags() == Ports.PORT_ALERT_SET) {
                s.put("flags", "PORT_ALERT_SET");
            } else if (x.flags() == Ports.PORT_ALERT_UPDATE) {
                s.put("flags", "PORT_ALERT_UPDATE");
            } else {
                s.put("flags", x.flags());
            }
            s.put("events", x.events());
            s.put("user", "alert:" + user);
        } else if (c instanceof Program.Get) {
            Program.Get x = (Program.Get) c;
            head(s, "port_get", a);
            s.put("port", x.port().json());
            timeout(s, x.timeout());
            if (pause) {
                s.put("pause", "delivery");
            }
        } else if (c instanceof Program.Getn) {
            Program.Getn x = (Program.Getn) c;
            head(s, "port_getn", a);
            s.put("port", x.port().json());
            s.put("max", x.max());
            s.put("nget", x.nget());
            timeout(s, x.timeout());
            if (pause) {
                s.put("pause", "delivery");
            }
        } else if (c instanceof Program.Associate || c instanceof Program.Dissociate) {
            boolean assoc = c instanceof Program.Associate;
            Ref port = c.refs().get(0);
            int source = assoc ? ((Program.Associate) c).source() : ((Program.Dissociate) c).source();
            head(s, assoc ? "port_associate" : "port_dissociate", a);
            s.put("port", port.json());
            String src = Ports.sourceName(source);
            if (src.startsWith("PORT_SOURCE_")) {
                s.put("source", src);
            } else {
                s.put("source", source);
            }
            s.put("object", 0);
            if (assoc) {
                s.put("events", 1);
                s.put("user", user);
            }
        } else if (c instanceof Program.Close) {
            head(s, "close", a);
            s.put("fd", ((Program.Close) c).fd().json());
        } else {
            throw new IllegalArgumentException("call " + c);
        }
        return s;
    }

    private static void head(ObjectNode s, String op, Actor a) {
        s.put("op", op);
        s.put("thread", a.name);
        s.put("proc", a.proc);
    }

    private static void timeout(ObjectNode s, Program.To t) {
        if (t.isNull()) {
            s.putNull("timeout");
        } else {
            ObjectNode o = s.putObject("timeout");
            o.put("sec", t.sec);
            o.put("nsec", t.nsec);
        }
    }

    /** The FORMAT.md expectation that the observed outcome meets. */
    static ObjectNode expectOf(CallResult r) {
        ObjectNode e = JSON.objectNode();
        switch (r.kind()) {
            case BLOCKED:
                e.put("blocks", true);
                return e;
            case PAUSED:
                e.put("paused", true);
                return e;
            case PANIC: {
                String m = r.message() == null ? "" : r.message();
                String line = m.startsWith("port.c:") ? m.substring(7, Math.max(7, m.indexOf(':', 7))) : m;
                e.put("panic", line);
                return e;
            }
            case BROKEN:
                return e;
            case RETURNED:
                e.put("ret", r.ret());
                break;
            default:
                e.put("errno", r.errno());
                break;
        }
        if (r.nget() != null) {
            e.put("nget", r.nget());
        }
        if (r.events() != null) {
            ArrayNode l = e.putArray("events");
            for (PortEvent ev : r.events()) {
                l.add(eventJson(ev));
            }
        }
        if (r.errorsWritten()) {
            if (r.errors() == null) {
                e.putNull("errors");
            } else {
                ArrayNode l = e.putArray("errors");
                for (int code : r.errors()) {
                    if (code == 0) {
                        l.add(0);
                    } else {
                        l.add(Errno.of(code).name());
                    }
                }
            }
        }
        return e;
    }

    static ObjectNode eventJson(PortEvent ev) {
        ObjectNode o = JSON.objectNode();
        String src = Ports.sourceName(ev.source());
        if (src.startsWith("PORT_SOURCE_")) {
            o.put("source", src);
        } else {
            o.put("source", ev.source());
        }
        o.put("events", ev.events());
        o.put("object", ev.object());
        if (ev.user() instanceof Number) {
            o.put("user", ((Number) ev.user()).longValue());
        } else {
            o.put("user", String.valueOf(ev.user()));
        }
        return o;
    }
}
