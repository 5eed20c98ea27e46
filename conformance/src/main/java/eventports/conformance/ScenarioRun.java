package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.sched.DetSched;
import eventports.trace.TraceSink;
import eventports.tracevalidation.api.ApiTraceWriter;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One scenario replayed in one profile. This class reads the scenario: it keeps the names
 * (processes, threads, descriptors, timers, fd_open objects), turns each step into a
 * PROTOCOL.md request of numbers, hands it to a {@link Target} — the Java core on the
 * deterministic runtime, or another implementation — and checks the outcome against the
 * step's expectation. Steps run strictly in order; the first step whose outcome does not
 * match ends the run with a failure.
 */
public final class ScenarioRun {
    /** Outcome of a run: null failure means PASS. */
    public record Verdict(String name, Profile profile, String failure) {
        public boolean passed() {
            return failure == null;
        }
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The core's pause points (FORMAT.md, "pause"), each a {@code Sched.pausePoint} name. */
    static final List<String> PAUSE_POINTS = List.of("delivery", "pollwakeup", "callback", "send_event");

    private final Scenario scenario;
    private final Profile profile;
    private Target target;
    private final Set<String> procs = new HashSet<>();
    private final Map<String, String> threadProc = new HashMap<>();
    /** Descriptor name → number, and the processes that can see it. */
    private final Map<String, Integer> fdNumber = new HashMap<>();
    private final Map<String, Set<String>> fdVisible = new HashMap<>();
    /** fd_open name → the process that opened it (fd_ready / fd_clear act on that object). */
    private final Map<String, String> fdOpener = new HashMap<>();
    /** Timer name → its process and timer id. */
    private final Map<String, Map.Entry<String, Integer>> timers = new HashMap<>();
    /** file_obj name → its address (in the memory of the processes in fdVisible's sense). */
    private final Map<String, Long> fileObjs = new HashMap<>();
    private final Map<String, Set<String>> fileObjVisible = new HashMap<>();

    /** The scenario on the Java core, deterministic runtime, tracing into {@code sink} (may be null). */
    public ScenarioRun(Scenario scenario, Profile profile, TraceSink sink) {
        this(scenario, profile, new CoreTarget(profile, scenario.layer(), scenario.limits(), sink), true);
    }

    /** The scenario on any target (another implementation: {@link ExternalTarget}). */
    public static ScenarioRun on(Scenario scenario, Profile profile, Target target) {
        return new ScenarioRun(scenario, profile, target, true);
    }

    private ScenarioRun(Scenario scenario, Profile profile, Target target, boolean any) {
        this.scenario = scenario;
        this.profile = profile;
        this.target = target;
    }

    /**
     * Write this run's API-level trace into {@code w} as it runs (trace-validation/FORMAT.md,
     * "Level api"): the calls and inputs as this runner sees them. Call before {@link #run}.
     */
    public ScenarioRun apiTrace(ApiTraceWriter w) {
        this.target = new ApiTracingTarget(target, w);
        return this;
    }

    private CoreTarget core() {
        Target target = this.target instanceof ApiTracingTarget ? ((ApiTracingTarget) this.target).inner() : this.target;
        if (!(target instanceof CoreTarget)) {
            throw new IllegalStateException("not a run on the Java core");
        }
        return (CoreTarget) target;
    }

    /** The deterministic runtime this run drives (for explorers that choose the next step). */
    public DetSched sched() {
        return core().sched();
    }

    public PortSystem system() {
        return core().system();
    }

    /** The process a scenario name refers to, or null. */
    public Proc process(String name) {
        return core().process(name);
    }

    /** Ends the run: unwinds every thread still inside a call. */
    public void shutdown() {
        target.close();
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
            target.close();
        }
    }

    /** Runs one step; returns null if it met its expectation, else what went wrong. */
    private String step(JsonNode s) throws ScenarioException {
        if (Names.string(s, "op").equals("expect_blocked")) {
            String t = Names.string(s, "thread");
            String st = target.state(t);
            if (!st.equals("blocked")) {
                return "expected " + t + " blocked with nothing pending, got " + st;
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
                String parent = proc(Names.string(s, "proc"));
                String child = Names.string(s, "child");
                if (procs.contains(child)) {
                    throw new ScenarioException("process " + child + " already exists");
                }
                target.fork(parent, child);
                procs.add(child);
                for (Set<String> vis : fdVisible.values()) {
                    if (vis.contains(parent)) {
                        vis.add(child);
                    }
                }
                for (Set<String> vis : fileObjVisible.values()) {
                    if (vis.contains(parent)) {
                        vis.add(child);           // fork copies the memory the file_obj lives in
                    }
                }
                return null;
            }
            case "fd_open": {
                String pname = proc(Names.string(s, "proc"));
                String as = Names.string(s, "as");
                CallResult r = target.fdOpen(pname);
                if (r.kind() == CallResult.Kind.RETURNED) {
                    bind(as, (int) r.ret(), pname);
                    fdOpener.put(as, pname);
                    return null;
                }
                return r;
            }
            case "fd_ready": {
                String name = Names.string(s, "fd");
                target.fdReady(opener(name), fdNumber.get(name), Names.events(req(s, "events")));
                return null;
            }
            case "fd_clear": {
                String name = Names.string(s, "fd");
                target.fdClear(opener(name), fdNumber.get(name));
                return null;
            }
            case "sendfd": {
                String pname = proc(Names.string(s, "proc"));
                String to = proc(Names.string(s, "to"));
                int fd = fd(req(s, "fd"), pname);
                CallResult r = target.sendfd(pname, fd, to);
                if (r.kind() == CallResult.Kind.RETURNED) {
                    bind(Names.string(s, "as"), (int) r.ret(), to);
                }
                return r;
            }
            case "timer_expire": {
                String name = Names.string(s, "timer");
                Map.Entry<String, Integer> t = timers.get(name);
                if (t == null) {
                    throw new ScenarioException("unknown timer \"" + name + "\"");
                }
                return target.timerExpire(t.getKey(), t.getValue());
            }
            case "advance": {
                target.advance(Names.integer(req(s, "ms"), "ms", 0, Long.MAX_VALUE));
                return null;
            }
            case "interrupt":
                target.interrupt(Names.string(s, "thread"));
                return null;
            case "expect_blocked":
                return null;
            case "await":
                return target.await(Names.string(s, "thread"));
            case "exit": {
                String pname = proc(Names.string(s, "proc"));
                return target.call(pname + "#exit", pname, "exit", JSON.objectNode(), null);
            }
            default:
                return call(op, s);
        }
    }

    private CallResult call(String op, JsonNode s) throws ScenarioException {
        String t = Names.string(s, "thread");
        String p = threadProc(t, s);
        ObjectNode args = request(op, s, p);
        String pause = Names.optionalString(s, "pause");
        if (pause != null && !PAUSE_POINTS.contains(pause)) {
            throw new ScenarioException("unknown pause point \"" + pause + "\" (the pause points are "
                    + String.join(", ", PAUSE_POINTS.stream().map(x -> "\"" + x + "\"").toList()) + ")");
        }
        CallResult r = target.call(t, p, op, args, pause);
        if ((op.equals("port_create") || op.equals("dup") || op.equals("dup2"))
                && r.kind() == CallResult.Kind.RETURNED && s.hasNonNull("as")) {
            bind(Names.string(s, "as"), (int) r.ret(), p);
        }
        if (op.equals("timer_create") && r.kind() == CallResult.Kind.RETURNED) {
            timers.put(Names.string(s, "as"), Map.entry(p, (int) r.ret()));
        }
        if (op.equals("file_obj") && r.kind() == CallResult.Kind.RETURNED) {
            String as = Names.string(s, "as");
            if (!fileObjs.containsKey(as)) {
                fileObjs.put(as, r.ret());
                Set<String> vis = new HashSet<>();
                vis.add(p);
                fileObjVisible.put(as, vis);
            }
        }
        return r;
    }

    /** The PROTOCOL.md arguments of a call step: names resolved in process {@code p}, symbols as numbers. */
    private ObjectNode request(String op, JsonNode s, String p) throws ScenarioException {
        ObjectNode a = JSON.objectNode();
        switch (op) {
            case "port_create":
                break;
            case "close":
                a.put("fd", fd(req(s, "fd"), p));
                break;
            case "port_send":
                a.put("fd", fd(req(s, "port"), p));
                a.put("events", Names.events(req(s, "events")));
                a.set("user", user(s));
                break;
            case "port_sendn": {
                ArrayNode fds = a.putArray("fds");
                for (JsonNode n : req(s, "ports")) {
                    fds.add(fd(n, p));
                }
                a.put("events", Names.events(req(s, "events")));
                a.set("user", user(s));
                break;
            }
            case "port_dispatch":
                a.put("fd", fd(req(s, "port"), p));
                a.put("source", Names.source(req(s, "source")));
                a.put("events", Names.events(req(s, "events")));
                a.put("object", Names.int64(req(s, "object"), "object"));
                a.set("user", user(s));
                a.put("noshare", Names.bool(req(s, "noshare"), "noshare"));
                break;
            case "port_alert":
                a.put("fd", fd(req(s, "port"), p));
                a.put("flags", Names.alertFlags(req(s, "flags")));
                a.put("events", Names.events(req(s, "events")));
                a.set("user", user(s));
                break;
            case "port_get":
                a.put("fd", fd(req(s, "port"), p));
                a.set("timeout", timeout(s));
                break;
            case "port_getn":
                a.put("fd", fd(req(s, "port"), p));
                a.put("max", Integer.toUnsignedLong(Names.uint32(req(s, "max"), "max")));
                a.put("nget", Integer.toUnsignedLong(Names.uint32(req(s, "nget"), "nget")));
                a.set("timeout", timeout(s));
                break;
            case "port_associate":
                a.put("fd", fd(req(s, "port"), p));
                a.put("source", Names.source(req(s, "source")));
                a.put("object", object(req(s, "object"), p));
                a.put("events", Names.events(req(s, "events")));
                a.set("user", user(s));
                break;
            case "port_dissociate":
                a.put("fd", fd(req(s, "port"), p));
                a.put("source", Names.source(req(s, "source")));
                a.put("object", object(req(s, "object"), p));
                break;
            case "timer_create":
                a.put("fd", fd(req(s, "port"), p));
                a.set("user", user(s));
                Names.string(s, "as");
                break;
            case "file_obj": {
                // a name already bound is the same object, written again (re-stat before re-associating)
                String as = Names.string(s, "as");
                a.put("obj", fileObjs.containsKey(as) ? fileObj(as, p) : 0L);
                a.put("name", Names.string(s, "name"));
                a.put("stat", Names.bool(req(s, "stat"), "stat"));
                break;
            }
            case "file_create":
            case "file_write":
            case "file_read":
            case "file_unlink":
            case "file_mkdir":
            case "file_rmdir":
            case "fs_unmount":
                a.put("path", Names.path(s, "path"));
                break;
            case "file_setattr":
                a.put("path", Names.path(s, "path"));
                a.put("attrs", Names.attrs(req(s, "attrs")));
                break;
            case "file_rename":
            case "file_link":
                a.put("from", Names.path(s, "from"));
                a.put("to", Names.path(s, "to"));
                break;
            case "fs_mount":
                a.put("path", Names.path(s, "path"));
                a.put("vnevents", !s.has("vnevents") || Names.bool(s.get("vnevents"), "vnevents"));
                break;
            case "dup":
                a.put("fd", fd(req(s, "fd"), p));
                a.put("min", s.has("min") ? Names.int32(s.get("min"), "min") : 0);
                Names.string(s, "as");
                break;
            case "dup2":
                a.put("fd", fd(req(s, "fd"), p));
                a.put("to", fd(req(s, "to"), p));
                break;
            default:
                throw new ScenarioException("unknown op \"" + op + "\"");
        }
        return a;
    }

    /** {@code "user"}: required, a string or an integer, passed on as it is. */
    private static JsonNode user(JsonNode s) throws ScenarioException {
        JsonNode u = req(s, "user");
        Names.user(u);
        return u;
    }

    /** {@code "timeout"}: present, and null (wait forever) or {sec, nsec}. */
    private static JsonNode timeout(JsonNode s) throws ScenarioException {
        JsonNode t = s.get("timeout");
        if (t == null) {
            throw new ScenarioException("missing \"timeout\" (null waits forever)");
        }
        if (t.isNull()) {
            return JSON.nullNode();
        }
        if (!t.isObject() || t.size() != 2) {
            throw Names.bad("timeout", "null or {\"sec\": S, \"nsec\": N}", t);
        }
        ObjectNode o = JSON.objectNode();
        o.put("sec", Names.int64(req(t, "sec"), "sec"));
        o.put("nsec", Names.int64(req(t, "nsec"), "nsec"));
        return o;
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
        for (Map.Entry<String, Long> e : fileObjs.entrySet()) {
            if (e.getValue() == object) {
                return e.getKey();
            }
        }
        for (Map.Entry<String, Integer> e : fdNumber.entrySet()) {
            if (e.getValue() == object) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The address of file_obj {@code name}, which must be in process {@code p}'s memory. */
    private long fileObj(String name, String p) throws ScenarioException {
        if (!fileObjVisible.get(name).contains(p)) {
            throw new ScenarioException("file_obj \"" + name + "\" is not in the memory of process " + p);
        }
        return fileObjs.get(name);
    }

    // ---- names ------------------------------------------------------------------------

    private String proc(String name) {
        procs.add(name);
        return name;
    }

    private String threadProc(String thread, JsonNode s) throws ScenarioException {
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
        return bound;
    }

    private void bind(String name, int fd, String procName) {
        fdNumber.put(name, fd);
        Set<String> vis = new HashSet<>();
        vis.add(procName);
        fdVisible.put(name, vis);
    }

    private int fd(JsonNode n, String p) throws ScenarioException {
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
        if (!fdVisible.get(name).contains(p)) {
            throw new ScenarioException("descriptor \"" + name + "\" is not visible in process " + p);
        }
        return fd;
    }

    private String opener(String name) throws ScenarioException {
        String p = fdOpener.get(name);
        if (p == null) {
            throw new ScenarioException("\"" + name + "\" is not an fd_open object");
        }
        return p;
    }

    private long object(JsonNode n, String p) throws ScenarioException {
        if (n.isTextual() && fileObjs.containsKey(n.textValue())) {
            return fileObj(n.textValue(), p);
        }
        return n.isTextual() ? fd(n, p) : Names.int64(n, "object");
    }

    private static JsonNode req(JsonNode s, String field) throws ScenarioException {
        return Names.required(s, field);
    }
}
