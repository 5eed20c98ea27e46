package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import eventports.tracevalidation.api.ApiTraceWriter;

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
    /** The process that opened each fd_open name (fd_ready / fd_clear act on its descriptor). */
    private final Map<String, String> fdOpener = new HashMap<>();
    /** The API-level trace of this run (trace-validation/FORMAT.md, "Level api"), or null. */
    private ApiTraceWriter api;

    public ScenarioRun(Scenario scenario, Profile profile, TraceSink sink) {
        this.scenario = scenario;
        this.profile = profile;
        this.sys = new PortSystem(profile, scenario.limits(), sched, sink);
    }

    /** Write this run's API-level trace into {@code w} as it runs. */
    public ScenarioRun apiTrace(ApiTraceWriter w) {
        this.api = w;
        return this;
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
                String failure = step(step);
                if (failure != null) {
                    return new Verdict(scenario.name(), profile, "step " + k + " (" + step.path("op").asText() + "): "
                            + failure);
                }
            }
            return new Verdict(scenario.name(), profile, null);
        } catch (ScenarioException e) {
            return new Verdict(scenario.name(), profile, "step " + k + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return new Verdict(scenario.name(), profile, "step " + k + ": runner fault: " + e);
        } finally {
            sched.shutdown();
        }
    }

    /** Runs one step; returns null if it met its expectation, else what went wrong. */
    private String step(JsonNode s) throws ScenarioException {
        if (s.get("op").asText().equals("expect_blocked")) {
            String t = s.get("thread").asText();
            DetSched.SimThread st = sched.find(t);
            if (st == null || st.state() != DetSched.State.BLOCKED || st.runnable()) {
                return "expected " + t + " blocked with nothing pending, got "
                        + (st == null ? "no such thread" : st.runnable() ? "runnable" : st.state().name().toLowerCase());
            }
            if (api != null) {
                api.sleep(t, threadProc.get(t));
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
        String op = s.get("op").asText();
        switch (op) {
            case "fork": {
                String parentName = req(s, "proc").asText();
                String child = req(s, "child").asText();
                if (procs.containsKey(child)) {
                    throw new ScenarioException("process " + child + " already exists");
                }
                procs.put(child, proc(parentName).fork());
                for (Set<String> vis : fdVisible.values()) {
                    if (vis.contains(parentName)) {
                        vis.add(child);
                    }
                }
                env("fork", "proc", parentName, "child", child);
                return null;
            }
            case "fd_open": {
                String pname = req(s, "proc").asText();
                int fd;
                try {
                    fd = proc(pname).fdOpen();
                } catch (PortException e) {
                    return CallResult.errno(e.errno().name(), null, null);
                }
                bind(req(s, "as").asText(), fd, pname);
                fdObject.put(req(s, "as").asText(), (PollObject) proc(pname).getf(fd).vnode());
                fdOpener.put(req(s, "as").asText(), pname);
                env("fd_open", "proc", pname, "fd", fd);
                return null;
            }
            case "fd_ready": {
                int events = Names.events(req(s, "events"));
                pollObject(s).fdReady(events);
                String name = s.get("fd").asText();
                env("fd_ready", "proc", fdOpener.get(name), "fd", fdNumber.get(name), "events", events);
                return null;
            }
            case "fd_clear": {
                pollObject(s).fdClear();
                String name = s.get("fd").asText();
                env("fd_clear", "proc", fdOpener.get(name), "fd", fdNumber.get(name));
                return null;
            }
            case "timer_expire": {
                String name = req(s, "timer").asText();
                Map.Entry<Proc, Integer> t = timers.get(name);
                if (t == null) {
                    throw new ScenarioException("unknown timer \"" + name + "\"");
                }
                env("timer_expire", "proc", procName(t.getKey()), "timer", t.getValue());
                try {
                    TimerSource.timerExpire(t.getKey(), t.getValue());
                } catch (PortException e) {
                    return CallResult.errno(e.errno().name(), null, null);
                }
                return null;
            }
            case "advance": {
                JsonNode ms = req(s, "ms");
                if (!ms.canConvertToLong() || !ms.isIntegralNumber() || ms.asLong() < 0) {
                    throw new ScenarioException("advance: \"ms\" must be a whole number of milliseconds >= 0, got " + ms);
                }
                long v = ms.asLong();
                sched.advance(v > Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : v * 1_000_000L);
                env("advance", "ms", v);
                return null;
            }
            case "interrupt":
                sched.interrupt(s.get("thread").asText());
                env("interrupt", "thread", s.get("thread").asText());
                return null;
            case "expect_blocked":
                return null;
            case "await": {
                String t = s.get("thread").asText();
                DetSched.SimThread st = sched.find(t);
                if (st == null || st.state() == DetSched.State.IDLE) {
                    throw new ScenarioException("await " + t + ": no call in progress");
                }
                return traced(t, threadProc.get(t), callOp.get(t), outcome(callOp.get(t), t, sched.await(t)));
            }
            case "exit": {
                String pname = req(s, "proc").asText();
                Proc p = proc(pname);
                String t = pname + "#exit";
                threadProc.putIfAbsent(t, pname);
                if (api != null) {
                    api.call(t, pname, "exit", ApiTraceWriter.fields());
                }
                return traced(t, pname, op, outcome(op, t, sched.call(t, "exit", () -> {
                    p.exit();
                    return 0;
                }, null)));
            }
            default:
                return call(op, s);
        }
    }

    private CallResult call(String op, JsonNode s) throws ScenarioException {
        String t = s.get("thread").asText();
        Proc p = threadProc(t, s);
        DetSched.SimThread st = sched.find(t);
        if (st != null && st.state() != DetSched.State.IDLE) {
            throw new ScenarioException("thread " + t + " is busy (" + st.state().name().toLowerCase()
                    + ") and cannot make a call");
        }
        ObjectNode args = ApiTraceWriter.fields();
        Callable<Object> body = body(op, s, p, args);
        String pause = s.hasNonNull("pause") ? s.get("pause").asText() : null;
        if (api != null) {
            api.call(t, procName(p), op, args);
        }
        DetSched.Outcome o = sched.call(t, op, body, pause);
        callOp.put(t, op);
        CallResult r = traced(t, procName(p), op, outcome(op, t, o));
        if (op.equals("port_create") && r.kind() == CallResult.Kind.RETURNED && s.hasNonNull("as")) {
            bind(s.get("as").asText(), (int) r.ret(), procName(p));
        }
        if (op.equals("timer_create") && r.kind() == CallResult.Kind.RETURNED) {
            timers.put(req(s, "as").asText(), Map.entry(p, (int) r.ret()));
        }
        return r;
    }

    /**
     * The body of a call: runs in the simulated thread; returns the call's result object. Puts
     * the call's arguments, resolved, into {@code args} (conformance/PROTOCOL.md's names).
     */
    private Callable<Object> body(String op, JsonNode s, Proc p, ObjectNode args) throws ScenarioException {
        switch (op) {
            case "port_create":
                return p::portCreate;
            case "close": {
                int fd = fd(req(s, "fd"), p);
                args.put("fd", fd);
                return () -> {
                    p.close(fd);
                    return 0;
                };
            }
            case "port_send": {
                int port = fd(req(s, "port"), p);
                int events = Names.events(s.path("events"));
                Object user = Names.user(s.get("user"));
                args.put("fd", port).put("events", events).set("user", ApiTraceWriter.user(user));
                return () -> {
                    p.portSend(port, events, user);
                    return 0;
                };
            }
            case "port_sendn": {
                JsonNode list = req(s, "ports");
                int[] ports = new int[list.size()];
                ArrayNode fds = args.putArray("fds");
                for (int i = 0; i < ports.length; i++) {
                    ports[i] = fd(list.get(i), p);
                    fds.add(ports[i]);
                }
                int events = Names.events(s.path("events"));
                Object user = Names.user(s.get("user"));
                args.put("events", events).set("user", ApiTraceWriter.user(user));
                return () -> p.portSendn(ports, events, user);
            }
            case "port_dispatch": {
                int port = fd(req(s, "port"), p);
                int source = Names.source(req(s, "source"));
                int events = Names.events(s.path("events"));
                long object = s.path("object").asLong(0);
                Object user = Names.user(s.get("user"));
                boolean noshare = s.path("noshare").asBoolean(false);
                args.put("fd", port).put("source", source).put("events", events).put("object", object)
                        .put("noshare", noshare).set("user", ApiTraceWriter.user(user));
                return () -> {
                    p.portDispatch(port, source, events, object, user, noshare);
                    return 0;
                };
            }
            case "port_alert": {
                int port = fd(req(s, "port"), p);
                int flags = Names.alertFlags(s.path("flags"));
                int events = Names.events(s.path("events"));
                Object user = Names.user(s.get("user"));
                args.put("fd", port).put("flags", flags).put("events", events).set("user", ApiTraceWriter.user(user));
                return () -> {
                    p.portAlert(port, flags, events, user);
                    return 0;
                };
            }
            case "port_get": {
                int port = fd(req(s, "port"), p);
                Timeout to = timeout(s);
                args.put("fd", port).set("timeout", s.hasNonNull("timeout") ? s.get("timeout") : null);
                return () -> p.portGet(port, to);
            }
            case "port_getn": {
                int port = fd(req(s, "port"), p);
                int max = (int) req(s, "max").asLong();
                int nget = (int) req(s, "nget").asLong();
                Timeout to = timeout(s);
                args.put("fd", port).put("max", max).put("nget", nget)
                        .set("timeout", s.hasNonNull("timeout") ? s.get("timeout") : null);
                return () -> p.portGetn(port, max, nget, to);
            }
            case "port_associate": {
                int port = fd(req(s, "port"), p);
                int source = Names.source(req(s, "source"));
                long object = object(req(s, "object"), p);
                int events = Names.events(s.path("events"));
                Object user = Names.user(s.get("user"));
                args.put("fd", port).put("source", source).put("object", object).put("events", events)
                        .set("user", ApiTraceWriter.user(user));
                return () -> {
                    p.portAssociate(port, source, object, events, user);
                    return 0;
                };
            }
            case "timer_create": {
                int port = fd(req(s, "port"), p);
                Object user = Names.user(s.get("user"));
                req(s, "as");
                args.put("fd", port).set("user", ApiTraceWriter.user(user));
                return () -> TimerSource.timerCreate(p, port, user);
            }
            case "port_dissociate": {
                int port = fd(req(s, "port"), p);
                int source = Names.source(req(s, "source"));
                long object = object(req(s, "object"), p);
                args.put("fd", port).put("source", source).put("object", object);
                return () -> {
                    p.portDissociate(port, source, object);
                    return 0;
                };
            }
            default:
                throw new ScenarioException("unknown op \"" + op + "\"");
        }
    }

    /** Write what a step of thread {@code t} ended with into the API trace (a return or a sleep); returns {@code r}. */
    private CallResult traced(String t, String proc, String op, CallResult r) {
        if (api == null) {
            return r;
        }
        switch (r.kind()) {
            case BLOCKED:
                api.sleep(t, proc);
                return r;
            case PAUSED:
            case BROKEN:
                return r;
            default:
                break;
        }
        ObjectNode st = ApiTraceWriter.fields();
        if (r.kind() == CallResult.Kind.PANIC) {
            st.put("panic", r.message());
        } else if (r.kind() == CallResult.Kind.ERRNO) {
            st.put("errno", r.errno());
        } else {
            st.put("ret", r.ret());
        }
        if (r.nget() != null) {
            st.put("nget", r.nget());
        }
        if (r.events() != null) {
            ArrayNode evs = st.putArray("events");
            for (PortEvent e : r.events()) {
                evs.addObject().put("source", e.source()).put("events", e.events()).put("object", e.object())
                        .set("user", ApiTraceWriter.user(e.user()));
            }
        }
        if (r.errorsWritten()) {
            if (r.errors() == null) {
                st.putNull("errors");
            } else {
                ArrayNode es = st.putArray("errors");
                for (int code : r.errors()) {
                    if (code == 0) {
                        es.add(0);
                    } else {
                        es.add(eventports.kernel.Errno.of(code).name());
                    }
                }
            }
        }
        api.returned(t, proc, op, st);
        return r;
    }

    /** An environment input into the API trace: {@code kv} alternates field names and values. */
    private void env(String op, Object... kv) {
        if (api == null) {
            return;
        }
        ObjectNode f = ApiTraceWriter.fields();
        for (int n = 0; n < kv.length; n += 2) {
            Object v = kv[n + 1];
            if (v instanceof Number) {
                f.put((String) kv[n], ((Number) v).longValue());
            } else {
                f.put((String) kv[n], String.valueOf(v));
            }
        }
        api.env(op, f);
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
        if (expect == null || expect.isNull()) {
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
        String named = s.hasNonNull("proc") ? s.get("proc").asText() : null;
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
        if (n.isIntegralNumber()) {
            return n.asInt();
        }
        String name = n.asText();
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
        String name = req(s, "fd").asText();
        PollObject po = fdObject.get(name);
        if (po == null) {
            throw new ScenarioException("\"" + name + "\" is not an fd_open object");
        }
        return po;
    }

    private long object(JsonNode n, Proc p) throws ScenarioException {
        return n.isIntegralNumber() ? n.asLong() : fd(n, p);
    }

    private static Timeout timeout(JsonNode s) {
        JsonNode t = s.get("timeout");
        if (t == null || t.isNull()) {
            return null;
        }
        return new Timeout(t.path("sec").asLong(0), t.path("nsec").asLong(0));
    }

    private static JsonNode req(JsonNode s, String field) throws ScenarioException {
        JsonNode v = s.get(field);
        if (v == null || v.isNull() && !field.equals("timeout")) {
            throw new ScenarioException("missing \"" + field + "\"");
        }
        return v;
    }
}
