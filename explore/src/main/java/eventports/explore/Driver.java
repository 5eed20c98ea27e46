package eventports.explore;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.conformance.CallResult;
import eventports.conformance.Scenario;
import eventports.conformance.ScenarioException;
import eventports.conformance.ScenarioRun;
import eventports.conformance.ScenarioWriter;
import eventports.explore.ChoicePoint.Kind;
import eventports.explore.ChoicePoint.Option;
import eventports.explore.Program.Call;
import eventports.explore.Program.Ref;
import eventports.explore.StepRecord.Phase;
import eventports.kernel.CoreFault;
import eventports.kernel.Port;
import eventports.kernel.PortQueue;
import eventports.kernel.Ports;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.sched.DetSched;
import eventports.trace.TraceRecord;
import eventports.trace.TraceSink;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
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
 *
 * <p>Its helpers, one concern each: a {@link ChoicePoint} holds the options of one choice and
 * maps them to schedule values; {@link CallSteps} and the conformance module's
 * {@code ScenarioWriter} write the steps; a {@link StateKey.Tracker} digests the state for the
 * systematic mode; {@link RunDoctoring} is applied where an outcome, a step or a record meets
 * the checks.
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
        public Set<CoreFault> coreFaults = EnumSet.noneOf(CoreFault.class);
        /** Systematic mode: states seen so far; a run that reaches one stops there (pruned). */
        public Set<StateKey> stateSpace;
        public long watchdogMillis = 10_000;
        /** Virtual milliseconds of the two advance options. */
        public long[] advanceMillis = {10, 2000};
        /** The descriptor layer on (stock illumos), or portfs on its own (the latent findings). */
        public eventports.kernel.Layer layer = eventports.kernel.Layer.DESCRIPTORS;

        public Options copy() {
            Options o = new Options();
            o.advanceBudget = advanceBudget;
            o.interruptBudget = interruptBudget;
            o.stepCap = stepCap;
            o.drain = drain;
            o.doctoring = doctoring;
            o.coreFaults = coreFaults.isEmpty() ? EnumSet.noneOf(CoreFault.class) : EnumSet.copyOf(coreFaults);
            o.stateSpace = stateSpace;
            o.watchdogMillis = watchdogMillis;
            o.layer = layer;
            o.advanceMillis = advanceMillis.clone();
            return o;
        }
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
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
    /** Children whose fork came after P1 began to exit: an exited process cannot fork (EBADF), so they never exist. */
    private final java.util.Set<String> unborn = new java.util.HashSet<>();
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
    private final StateKey.Tracker states = new StateKey.Tracker();

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

    /** Collects the trace in emission order (one simulated thread runs at a time: that is seq order). */
    private final class Sink implements TraceSink {
        final List<TraceRecord> records = new ArrayList<>();
        private int losable;

        @Override
        public synchronized void record(TraceRecord r) {
            if (opt.doctoring.losable(r) && (losable++ % 2) == 1) {
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
        ObjectNode root = ScenarioWriter.scenario(runId, "", profile, opt.layer, program.maxEvents(), program.maxList());
        try {
            ObjectNode empty = root.deepCopy();
            empty.set("steps", JSON.arrayNode());
            Scenario sc = Scenario.fromJson(empty, null);
            run = new ScenarioRun(sc, profile, sink);
            run.sched().setWatchdog(opt.watchdogMillis);
            for (CoreFault f : opt.coreFaults) {
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
                            steps.add(ScenarioWriter.expectBlocked(b.call().simThread));
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
            CallResult res = step(ScenarioWriter.portCreate(t0, "P1", r.json()), Phase.PROLOGUE, null, null);
            if (res != null && res.kind() == CallResult.Kind.RETURNED) {
                int fd = (int) res.ret();
                fds.put(r, fd);
                Port port = CoreProbe.port(run.process("P1"), fd);
                if (port == null) {
                    throw new IllegalStateException("cannot reach the port behind fd " + fd
                            + " (CoreProbe: Proc.file changed?)");
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
            step(ScenarioWriter.fdOpen("P1", "F"), Phase.PROLOGUE, null, null);
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
        Proc parent = run.process("P1");
        if (parent != null && parent.exited()) {
            unborn.add(child);
            return;
        }
        step(ScenarioWriter.fork("P1", child), phase, null, null);
        forked.put(child, true);
        Proc p = run.process(child);
        if (p != null) {
            pids.put(child, p.pid);
        }
    }

    private void forkPending(Phase phase) throws ScenarioException {
        for (Program.ProcSpec p : program.procs()) {
            if (p.forkAt() >= 0 && !forked.containsKey(p.name()) && !unborn.contains(p.name()) && !aborted) {
                fork(p.name(), phase);
            }
        }
    }

    // ---- main phase ------------------------------------------------------------------------

    private void mainPhase() throws ScenarioException {
        while (!aborted) {
            for (Program.ProcSpec p : program.procs()) {
                if (p.forkAt() > 0 && p.forkAt() <= choices && !forked.containsKey(p.name())
                        && !unborn.contains(p.name())) {
                    fork(p.name(), Phase.MAIN);
                }
            }
            if (aborted || log.size() >= opt.stepCap) {
                break;
            }
            List<Option> primary = primaryOptions(true);
            boolean stopOnly = primary.isEmpty();
            if (stopOnly) {
                primary.add(new Option(Kind.STOP, null, 0));
            }
            List<Option> env = envOptions();
            ChoicePoint point = new ChoicePoint(primary, env, actors, programActors, opt.advanceMillis);
            int k = schedule.choose(point);
            taken.add(point.valueOf(k));
            choices++;
            Option o = point.opts.get(k);
            if (o.kind() == Kind.STOP) {
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

    private List<Option> primaryOptions(boolean withPause) {
        List<Option> l = new ArrayList<>();
        for (Actor a : actors) {
            if (a.current != null && runnable(a.current.simThread)) {
                l.add(new Option(Kind.AWAIT, a, 0));
            }
        }
        List<Actor> startable = new ArrayList<>();
        for (Actor a : actors) {
            if (startable(a)) {
                startable.add(a);
                l.add(new Option(Kind.START, a, 0));
            }
        }
        if (withPause) {
            for (Actor a : startable) {
                Call c = a.calls.get(a.next);
                if (c instanceof Program.Get || c instanceof Program.Getn) {
                    l.add(new Option(Kind.START_PAUSED, a, 0));
                }
            }
        }
        return l;
    }

    private List<Option> envOptions() {
        List<Option> l = new ArrayList<>();
        if (advances < opt.advanceBudget) {
            for (long ms : opt.advanceMillis) {
                l.add(new Option(Kind.ADVANCE, null, ms));
            }
        }
        if (interrupts < opt.interruptBudget) {
            for (Actor a : actors) {
                if (a.current != null) {
                    DetSched.SimThread t = run.sched().find(a.current.simThread);
                    if (t != null && (t.state() == DetSched.State.BLOCKED || t.state() == DetSched.State.PAUSED)) {
                        l.add(new Option(Kind.INTERRUPT, a, 0));
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
            case AWAIT:
                await(o.actor(), phase);
                break;
            case START:
                start(o.actor(), false, phase);
                break;
            case START_PAUSED:
                start(o.actor(), true, phase);
                break;
            case ADVANCE:
                advance(o.ms(), phase);
                advances++;
                break;
            case INTERRUPT:
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
        ObjectNode s = CallSteps.of(c, a.name, a.proc, user, pause);
        CallLog cl = new CallLog(a.name, a.proc, sim, idx, c, user, pause, a.drain, log.size() + 1);
        calls.add(cl);
        a.current = cl;
        CallResult r;
        if (opt.doctoring.skips(c)) {
            r = recordOnly(s, phase, a, cl, new CallResult(CallResult.Kind.RETURNED, 0, null, null, null, null, false,
                    null));
        } else {
            r = step(s, phase, a, cl);
        }
        cl.startObs = log.get(cl.startStep - 1).pre();
        ended(a, cl, r);
        if (c instanceof Program.Exit) {
            collectExited(a.proc, phase);
        }
    }

    /**
     * An exit ends its process's other calls within its step (exitlwps; the runner keeps each
     * result for the thread's await): collect them, so that no call of the process is left
     * open on a thread that is idle.
     */
    private void collectExited(String proc, Phase phase) throws ScenarioException {
        for (Actor o : actors) {
            if (o.proc.equals(proc) && o.current != null) {
                DetSched.SimThread t = run.sched().find(o.current.simThread);
                if (t == null || t.state() == DetSched.State.IDLE) {
                    await(o, phase);
                }
            }
        }
    }

    private void await(Actor a, Phase phase) throws ScenarioException {
        CallLog cl = a.current;
        CallResult r = step(ScenarioWriter.await(cl.simThread), phase, a, cl);
        ended(a, cl, r);
        if (cl.call instanceof Program.Exit && a.current == null) {
            collectExited(a.proc, phase);
        }
    }

    private void interrupt(Actor a, Phase phase) throws ScenarioException {
        CallLog cl = a.current;
        step(ScenarioWriter.interrupt(cl.simThread), phase, a, cl);
        cl.interrupted = true;
    }

    private void advance(long ms, Phase phase) throws ScenarioException {
        step(ScenarioWriter.advance(ms), phase, null, null);
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
        if (opt.doctoring != RunDoctoring.NONE) {
            r = opt.doctoring.doctor(r, isGetn(s));
        }
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
            s.set("expect", ScenarioWriter.expect(r));
        }
        steps.add(s);
        StepRecord rec = new StepRecord(log.size() + 1, s, phase, a == null ? null : a.name, cl, r, pre, from, to,
                choosing);
        log.add(rec);
        states.track(sink.records, from, to, actors);
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

    /** Whether step {@code s} runs or continues a port_getn. */
    private boolean isGetn(ObjectNode s) {
        String op = s.path("op").asText();
        return op.equals("port_getn") || (op.equals("await") && isGetnThread(s.path("thread").asText()));
    }

    private boolean isGetnThread(String sim) {
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

    /** The state key of the run now (systematic mode). */
    private StateKey stateKey() {
        return states.key(run.sched(), advances, interrupts, forked.keySet(), actors, sink.records, log, observe(),
                ports, runId);
    }
}
