package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import eventports.kernel.GetnResult;
import eventports.kernel.PollObject;
import eventports.kernel.PortEvent;
import eventports.kernel.PortException;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.SeedCrash;
import eventports.kernel.SendnResult;
import eventports.kernel.Timeout;
import eventports.sched.DetSched;
import eventports.sources.TimerSource;
import eventports.trace.TraceSink;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * One scenario replayed in one profile on the deterministic runtime. Steps run strictly in
 * order; a call step runs only its thread, until the call returns, blocks or pauses; driver
 * steps (fork, advance, interrupt, await, …) change the world without running anyone else.
 * The first step whose outcome does not match its expectation ends the run with a failure.
 */
public final class ScenarioRun {
    /** Outcome of a run: null failure means PASS. */
    public record Verdict(String name, Profile profile, String failure) {
        public boolean passed() {
            return failure == null;
        }
    }

    private final Scenario scenario;
    private final Profile profile;
    private final DetSched sched = new DetSched();
    private final PortSystem sys;
    private final Map<String, Proc> procs = new HashMap<>();
    private final Map<String, String> threadProc = new HashMap<>();
    /** Descriptor name → number, and the processes that can see it. */
    private final Map<String, Integer> fdNumber = new HashMap<>();
    private final Map<String, Set<String>> fdVisible = new HashMap<>();
    /** Pollable object behind each fd_open name (fd_ready / fd_clear act on the object itself). */
    private final Map<String, PollObject> fdObject = new HashMap<>();
    /** Timer name → its process and timer id. */
    private final Map<String, Map.Entry<Proc, Integer>> timers = new HashMap<>();
    /** Pending result of a call that blocked or paused: which op it was, to read its result. */
    private final Map<String, String> callOp = new HashMap<>();

    public ScenarioRun(Scenario scenario, Profile profile, TraceSink sink) {
        this.scenario = scenario;
        this.profile = profile;
        this.sys = new PortSystem(profile, scenario.limits(), sched, sink);
    }

    /** The deterministic runtime this run drives (for explorers that choose the next step). */
    public DetSched sched() {
        return sched;
    }

    public PortSystem system() {
        return sys;
    }

    /** The process a scenario name refers to, or null. */
    public Proc process(String name) {
        return procs.get(name);
    }

    /** Ends the run: unwinds every simulated thread still inside a call. */
    public void shutdown() {
        sched.shutdown();
    }

    public Verdict run() {
        int k = 0;
        try {
            for (JsonNode step : scenario.steps()) {
                k++;
                String failure;
                try {
                    failure = step(step);
                } catch (ScenarioException e) {
                    failure = e.getMessage();
                }
                if (failure != null) {
                    return new Verdict(scenario.name(), profile, "step " + k + " (" + step.path("op").textValue() + "): "
                            + failure);
                }
            }
            return new Verdict(scenario.name(), profile, null);
        } catch (RuntimeException e) {
            return new Verdict(scenario.name(), profile, "step " + k + ": runner fault: " + e);
        } finally {
            sched.shutdown();
        }
    }

    /** Runs one step; returns null if it met its expectation, else what went wrong. */
    private String step(JsonNode s) throws ScenarioException {
        if (Names.string(s, "op").equals("expect_blocked")) {
            String t = Names.string(s, "thread");
            DetSched.SimThread st = sched.find(t);
            if (st == null || st.state() != DetSched.State.BLOCKED || st.runnable()) {
                return "expected " + t + " blocked with nothing pending, got "
                        + (st == null ? "no such thread" : st.runnable() ? "runnable" : st.state().name().toLowerCase());
            }
            return null;
        }
        CallResult r = execute(s);
        return r == null ? null : check(s.get("expect"), r);
    }

    /**
     * Runs one step and returns how it ended: the outcome of a call, an await or an exit, or
     * null for a driver step that makes no call. Expectations are not looked at.
     */
    public CallResult execute(JsonNode s) throws ScenarioException {
        String op = Names.string(s, "op");
        switch (op) {
            case "fork": {
                String parentName = Names.string(s, "proc");
                String child = Names.string(s, "child");
                if (procs.containsKey(child)) {
                    throw new ScenarioException("process " + child + " already exists");
                }
                procs.put(child, proc(parentName).fork());
                for (Set<String> vis : fdVisible.values()) {
                    if (vis.contains(parentName)) {
                        vis.add(child);
                    }
                }
                return null;
            }
            case "fd_open": {
                String pname = Names.string(s, "proc");
                String as = Names.string(s, "as");
                int fd;
                try {
                    fd = proc(pname).fdOpen();
                } catch (PortException e) {
                    return CallResult.errno(e.errno().name(), null, null);
                }
                bind(as, fd, pname);
                fdObject.put(as, (PollObject) proc(pname).getf(fd).vnode());
                return null;
            }
            case "fd_ready":
                pollObject(s).fdReady(Names.events(Names.required(s, "events")));
                return null;
            case "fd_clear":
                pollObject(s).fdClear();
                return null;
            case "timer_expire": {
                String name = Names.string(s, "timer");
                Map.Entry<Proc, Integer> t = timers.get(name);
                if (t == null) {
                    throw new ScenarioException("unknown timer \"" + name + "\"");
                }
                try {
                    TimerSource.timerExpire(t.getKey(), t.getValue());
                } catch (PortException e) {
                    return CallResult.errno(e.errno().name(), null, null);
                }
                return null;
            }
            case "advance": {
                long v = Names.integer(Names.required(s, "ms"), "ms", 0, Long.MAX_VALUE);
                sched.advance(v > Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : v * 1_000_000L);
                return null;
            }
            case "interrupt":
                sched.interrupt(Names.string(s, "thread"));
                return null;
            case "expect_blocked":
                return null;
            case "await": {
                String t = Names.string(s, "thread");
                DetSched.SimThread st = sched.find(t);
                if (st == null || st.state() == DetSched.State.IDLE) {
                    throw new ScenarioException("await " + t + ": no call in progress");
                }
                return outcome(callOp.get(t), t, sched.await(t));
            }
            case "exit": {
                String pname = Names.string(s, "proc");
                Proc p = proc(pname);
                String t = pname + "#exit";
                return outcome(op, t, sched.call(t, "exit", () -> {
                    p.exit();
                    return 0;
                }, null));
            }
            default:
                return call(op, s);
        }
    }

    private CallResult call(String op, JsonNode s) throws ScenarioException {
        String t = Names.string(s, "thread");
        Proc p = threadProc(t, s);
        DetSched.SimThread st = sched.find(t);
        if (st != null && st.state() != DetSched.State.IDLE) {
            throw new ScenarioException("thread " + t + " is busy (" + st.state().name().toLowerCase()
                    + ") and cannot make a call");
        }
        Callable<Object> body = body(op, s, p);
        String pause = Names.optionalString(s, "pause");
        if (pause != null && !pause.equals("delivery")) {
            throw new ScenarioException("unknown pause point \"" + pause + "\" (the one pause point is \"delivery\")");
        }
        DetSched.Outcome o = sched.call(t, op, body, pause);
        callOp.put(t, op);
        CallResult r = outcome(op, t, o);
        if (op.equals("port_create") && r.kind() == CallResult.Kind.RETURNED && s.hasNonNull("as")) {
            bind(Names.string(s, "as"), (int) r.ret(), procName(p));
        }
        if (op.equals("timer_create") && r.kind() == CallResult.Kind.RETURNED) {
            timers.put(Names.string(s, "as"), Map.entry(p, (int) r.ret()));
        }
        return r;
    }

    /** The body of a call: runs in the simulated thread; returns the call's result object. */
    private Callable<Object> body(String op, JsonNode s, Proc p) throws ScenarioException {
        switch (op) {
            case "port_create":
                return p::portCreate;
            case "close": {
                int fd = fd(req(s, "fd"), p);
                return () -> {
                    p.close(fd);
                    return 0;
                };
            }
            case "port_send": {
                int port = fd(req(s, "port"), p);
                int events = Names.events(req(s, "events"));
                Object user = Names.user(req(s, "user"));
                return () -> {
                    p.portSend(port, events, user);
                    return 0;
                };
            }
            case "port_sendn": {
                JsonNode list = req(s, "ports");
                int[] ports = new int[list.size()];
                for (int i = 0; i < ports.length; i++) {
                    ports[i] = fd(list.get(i), p);
                }
                int events = Names.events(req(s, "events"));
                Object user = Names.user(req(s, "user"));
                return () -> p.portSendn(ports, events, user);
            }
            case "port_dispatch": {
                int port = fd(req(s, "port"), p);
                int source = Names.source(req(s, "source"));
                int events = Names.events(req(s, "events"));
                long object = Names.int64(req(s, "object"), "object");
                Object user = Names.user(req(s, "user"));
                boolean noshare = Names.bool(req(s, "noshare"), "noshare");
                return () -> {
                    p.portDispatch(port, source, events, object, user, noshare);
                    return 0;
                };
            }
            case "port_alert": {
                int port = fd(req(s, "port"), p);
                int flags = Names.alertFlags(req(s, "flags"));
                int events = Names.events(req(s, "events"));
                Object user = Names.user(req(s, "user"));
                return () -> {
                    p.portAlert(port, flags, events, user);
                    return 0;
                };
            }
            case "port_get": {
                int port = fd(req(s, "port"), p);
                Timeout to = timeout(s);
                return () -> p.portGet(port, to);
            }
            case "port_getn": {
                int port = fd(req(s, "port"), p);
                int max = Names.uint32(req(s, "max"), "max");
                int nget = Names.uint32(req(s, "nget"), "nget");
                Timeout to = timeout(s);
                return () -> p.portGetn(port, max, nget, to);
            }
            case "port_associate": {
                int port = fd(req(s, "port"), p);
                int source = Names.source(req(s, "source"));
                long object = object(req(s, "object"), p);
                int events = Names.events(req(s, "events"));
                Object user = Names.user(req(s, "user"));
                return () -> {
                    p.portAssociate(port, source, object, events, user);
                    return 0;
                };
            }
            case "timer_create": {
                int port = fd(req(s, "port"), p);
                Object user = Names.user(req(s, "user"));
                Names.string(s, "as");
                return () -> TimerSource.timerCreate(p, port, user);
            }
            case "port_dissociate": {
                int port = fd(req(s, "port"), p);
                int source = Names.source(req(s, "source"));
                long object = object(req(s, "object"), p);
                return () -> {
                    p.portDissociate(port, source, object);
                    return 0;
                };
            }
            default:
                throw new ScenarioException("unknown op \"" + op + "\"");
        }
    }

    /** Translate what the simulated thread did into a CallResult. */
    private CallResult outcome(String op, String thread, DetSched.Outcome o) {
        switch (o.kind()) {
            case BLOCKED:
                return CallResult.blocked();
            case PAUSED:
                return CallResult.paused();
            default:
                break;
        }
        Throwable e = o.error();
        if (e == null) {
            Object v = o.value();
            if (v instanceof GetnResult) {
                GetnResult g = (GetnResult) v;
                return CallResult.returned(0, g.nget(), g.events());
            }
            if (v instanceof PortEvent) {
                return CallResult.returned(0, null, List.of((PortEvent) v));
            }
            if (v instanceof SendnResult) {
                SendnResult r = (SendnResult) v;
                return CallResult.sendn(r.count(), r.errors());
            }
            return CallResult.returned(((Number) v).longValue(), null, null);
        }
        if (e instanceof PortException) {
            PortException pe = (PortException) e;
            boolean getn = "port_getn".equals(op);
            return CallResult.errno(pe.errno().name(), getn ? pe.nget() : null,
                    getn || "port_get".equals(op) ? pe.events() : null);
        }
        if (e instanceof SeedCrash) {
            return CallResult.panic(e.getMessage());
        }
        if (e instanceof UnsupportedOperationException) {
            return CallResult.broken("unsupported op: " + e.getMessage());
        }
        return CallResult.broken("unchecked exception in " + thread + ": " + e);
    }

    /** Null if {@code r} meets {@code expect} (a missing key is not checked), else the mismatch. */
    private String check(JsonNode expect, CallResult r) throws ScenarioException {
        if (r.kind() == CallResult.Kind.BROKEN) {
            return r.message();
        }
        if (expect == null) {
            if (r.kind() == CallResult.Kind.PANIC) {
                return "unexpected " + r;
            }
            return null;
        }
        String mismatch = Expect.match(expect, r, this::describeObject);
        return mismatch == null ? null : "expected " + expect + ", got " + r + (mismatch.isEmpty() ? "" : " (" + mismatch + ")");
    }

    private String describeObject(long object) {
        for (Map.Entry<String, Integer> e : fdNumber.entrySet()) {
            if (e.getValue() == object) {
                return e.getKey();
            }
        }
        return null;
    }

    // ---- names ------------------------------------------------------------------------

    private Proc proc(String name) {
        return procs.computeIfAbsent(name, n -> sys.spawn());
    }

    private String procName(Proc p) {
        for (Map.Entry<String, Proc> e : procs.entrySet()) {
            if (e.getValue() == p) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("unnamed process " + p);
    }

    private Proc threadProc(String thread, JsonNode s) throws ScenarioException {
        String named = Names.optionalString(s, "proc");
        String bound = threadProc.get(thread);
        if (bound == null) {
            if (named == null) {
                throw new ScenarioException("thread " + thread + " first appears without \"proc\"");
            }
            threadProc.put(thread, named);
            return proc(named);
        }
        if (named != null && !named.equals(bound)) {
            throw new ScenarioException("thread " + thread + " belongs to " + bound + ", not " + named);
        }
        return proc(bound);
    }

    private void bind(String name, int fd, String procName) {
        fdNumber.put(name, fd);
        Set<String> vis = new HashSet<>();
        vis.add(procName);
        fdVisible.put(name, vis);
    }

    private int fd(JsonNode n, Proc p) throws ScenarioException {
        if (!n.isTextual()) {
            return Names.int32(n, "descriptor");
        }
        String name = n.textValue();
        if (name.startsWith("bad:")) {
            try {
                return Integer.parseInt(name.substring(4));
            } catch (NumberFormatException e) {
                throw new ScenarioException("bad descriptor literal " + name);
            }
        }
        Integer fd = fdNumber.get(name);
        if (fd == null) {
            throw new ScenarioException("unknown descriptor \"" + name + "\"");
        }
        if (!fdVisible.get(name).contains(procName(p))) {
            throw new ScenarioException("descriptor \"" + name + "\" is not visible in process " + procName(p));
        }
        return fd;
    }

    private PollObject pollObject(JsonNode s) throws ScenarioException {
        String name = Names.string(s, "fd");
        PollObject po = fdObject.get(name);
        if (po == null) {
            throw new ScenarioException("\"" + name + "\" is not an fd_open object");
        }
        return po;
    }

    private long object(JsonNode n, Proc p) throws ScenarioException {
        return n.isTextual() ? fd(n, p) : Names.int64(n, "object");
    }

    /** {@code "timeout"}: present, and null (wait forever) or {sec, nsec}. */
    private static Timeout timeout(JsonNode s) throws ScenarioException {
        JsonNode t = s.get("timeout");
        if (t == null) {
            throw new ScenarioException("missing \"timeout\" (null waits forever)");
        }
        if (t.isNull()) {
            return null;
        }
        if (!t.isObject() || t.size() != 2) {
            throw Names.bad("timeout", "null or {\"sec\": S, \"nsec\": N}", t);
        }
        return new Timeout(Names.int64(req(t, "sec"), "sec"), Names.int64(req(t, "nsec"), "nsec"));
    }

    private static JsonNode req(JsonNode s, String field) throws ScenarioException {
        return Names.required(s, field);
    }
}
