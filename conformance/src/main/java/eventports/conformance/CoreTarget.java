package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.GetnResult;
import eventports.kernel.Layer;
import eventports.kernel.Limits;
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
import eventports.sources.FileObject;
import eventports.sources.SimFs;
import eventports.sources.TimerSource;
import eventports.trace.TraceSink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The Java core on the deterministic runtime, as a {@link Target}: each simulated thread runs
 * only when a step names it, so a woken thread waits for its {@code await} (the capability
 * {@code deferred_run}). Processes are spawned on first mention, in the order the steps
 * mention them.
 *
 * <p>An exit runs to its end in its one step: in the descriptor layer it first ends the
 * process's other threads' calls (exitlwps), so this target runs those threads out of their
 * calls itself and keeps what each returned for its later {@code await}; only an exit that
 * still waits for a thread that nothing can move (one paused at its delivery point) blocks, and
 * is awaited as {@code "<proc>#exit"}.
 */
public final class CoreTarget implements Target {
    private final DetSched sched = new DetSched();
    private final PortSystem sys;
    private final Map<String, Proc> procs = new HashMap<>();
    /** The op of each thread's call in progress, to read its result when it is awaited. */
    private final Map<String, String> callOp = new HashMap<>();
    /** The object behind each fd_open (fd_ready / fd_clear act on the object, even after a close). */
    private final Map<String, PollObject> fdObject = new HashMap<>();
    /** The file_objs the processes made, by address: user memory keeps them alive (FileObject is weak). */
    private final Map<Long, FileObject> fileObjs = new HashMap<>();
    /** The process of each thread that made a call. */
    private final Map<String, String> threadProc = new HashMap<>();
    /** Outcomes of calls an exit ran to their end, kept for the thread's next await. */
    private final Map<String, CallResult> finished = new HashMap<>();

    public CoreTarget(Profile profile, Limits limits, TraceSink sink) {
        this(profile, Layer.DESCRIPTORS, limits, sink);
    }

    public CoreTarget(Profile profile, Layer layer, Limits limits, TraceSink sink) {
        this.sys = new PortSystem(profile, layer, limits, sched, sink);
    }

    public DetSched sched() {
        return sched;
    }

    public PortSystem system() {
        return sys;
    }

    /** The process a scenario name refers to, or null if no step has mentioned it yet. */
    public Proc process(String name) {
        return procs.get(name);
    }

    private Proc proc(String name) {
        return procs.computeIfAbsent(name, n -> sys.spawn());
    }

    @Override
    public CallResult call(String thread, String proc, String op, ObjectNode args, String pause)
            throws ScenarioException {
        DetSched.SimThread st = sched.find(thread);
        if ((st != null && st.state() != DetSched.State.IDLE) || finished.containsKey(thread)) {
            throw new ScenarioException("thread " + thread + " is busy (" + (st == null || st.state()
                    == DetSched.State.IDLE ? "returned, not yet awaited" : st.state().name().toLowerCase())
                    + ") and cannot make a call");
        }
        Callable<Object> body = body(op, args, proc(proc));
        callOp.put(thread, op);
        threadProc.put(thread, proc);
        CallResult r = outcome(op, thread, sched.call(thread, op, body, pause));
        return op.equals("exit") ? runExit(thread, proc, r) : r;
    }

    /**
     * An exit that blocks waits for the process's other threads to leave their calls: run each
     * that can move (they were made to return) to its end, keep its outcome, and resume the
     * exit, until the exit returns or nothing can move.
     */
    private CallResult runExit(String exitThread, String proc, CallResult r) {
        while (r.kind() == CallResult.Kind.BLOCKED) {
            boolean moved = false;
            for (Map.Entry<String, String> e : threadProc.entrySet()) {
                DetSched.SimThread t = sched.find(e.getKey());
                if (e.getValue().equals(proc) && !e.getKey().equals(exitThread) && t != null
                        && t.state() == DetSched.State.BLOCKED && t.runnable()) {
                    CallResult o = outcome(callOp.get(e.getKey()), e.getKey(), sched.await(e.getKey()));
                    if (o.kind() != CallResult.Kind.BLOCKED) {
                        finished.put(e.getKey(), o);
                    }
                    moved = true;
                }
            }
            DetSched.SimThread x = sched.find(exitThread);
            if (!moved || !x.runnable()) {
                break;
            }
            r = outcome("exit", exitThread, sched.await(exitThread));
        }
        return r;
    }

    @Override
    public CallResult await(String thread) throws ScenarioException {
        CallResult done = finished.remove(thread);
        if (done != null) {
            return done;
        }
        DetSched.SimThread st = sched.find(thread);
        if (st == null || st.state() == DetSched.State.IDLE) {
            throw new ScenarioException("await " + thread + ": no call in progress");
        }
        CallResult r = outcome(callOp.get(thread), thread, sched.await(thread));
        return "exit".equals(callOp.get(thread)) ? runExit(thread, threadProc.get(thread), r) : r;
    }

    @Override
    public String state(String thread) {
        if (finished.containsKey(thread)) {
            return "runnable";
        }
        DetSched.SimThread st = sched.find(thread);
        if (st == null || st.state() == DetSched.State.IDLE) {
            return "idle";
        }
        if (st.state() == DetSched.State.PAUSED) {
            return "paused";
        }
        return st.runnable() ? "runnable" : "blocked";
    }

    @Override
    public void fork(String parent, String child) throws ScenarioException {
        if (procs.containsKey(child)) {
            throw new ScenarioException("process " + child + " already exists");
        }
        try {
            procs.put(child, proc(parent).fork());
        } catch (PortException e) {
            throw new ScenarioException("fork: process " + parent + " has exited (" + e.errno() + ")");
        }
    }

    @Override
    public CallResult sendfd(String proc, int fd, String to) {
        try {
            return CallResult.returned(proc(proc).sendfd(fd, proc(to)), null, null);
        } catch (PortException e) {
            return CallResult.errno(e.errno().name(), null, null);
        }
    }

    @Override
    public void advance(long ms) {
        sched.advance(ms > Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : ms * 1_000_000L);
    }

    @Override
    public void interrupt(String thread) {
        sched.interrupt(thread);
    }

    @Override
    public CallResult fdOpen(String proc) {
        Proc p = proc(proc);
        int fd;
        try {
            fd = p.fdOpen();
        } catch (PortException e) {
            return CallResult.errno(e.errno().name(), null, null);
        }
        fdObject.put(proc + "/" + fd, (PollObject) p.file(fd).vnode());
        return CallResult.returned(fd, null, null);
    }

    @Override
    public void fdReady(String proc, int fd, int events) throws ScenarioException {
        pollObject(proc, fd).fdReady(events);
    }

    @Override
    public void fdClear(String proc, int fd) throws ScenarioException {
        pollObject(proc, fd).fdClear();
    }

    private PollObject pollObject(String proc, int fd) throws ScenarioException {
        PollObject po = fdObject.get(proc + "/" + fd);
        if (po == null) {
            throw new ScenarioException("descriptor " + fd + " of " + proc + " is not an fd_open object");
        }
        return po;
    }

    @Override
    public CallResult timerExpire(String proc, int timer) {
        try {
            TimerSource.timerExpire(proc(proc), timer);
            return null;
        } catch (PortException e) {
            return CallResult.errno(e.errno().name(), null, null);
        }
    }

    @Override
    public void close() {
        sched.shutdown();
    }

    /** The body of a call: runs in the simulated thread; returns the call's result object. */
    private Callable<Object> body(String op, ObjectNode a, Proc p) throws ScenarioException {
        Callable<Object> file = fileBody(op, a);
        if (file != null) {
            return file;
        }
        switch (op) {
            case "port_create":
                return p::portCreate;
            case "close": {
                int fd = a.get("fd").intValue();
                return () -> {
                    p.close(fd);
                    return 0;
                };
            }
            case "port_send": {
                int port = a.get("fd").intValue();
                int events = a.get("events").intValue();
                Object user = Names.user(a.get("user"));
                return () -> {
                    p.portSend(port, events, user);
                    return 0;
                };
            }
            case "port_sendn": {
                JsonNode list = a.get("fds");
                int[] ports = new int[list.size()];
                for (int i = 0; i < ports.length; i++) {
                    ports[i] = list.get(i).intValue();
                }
                int events = a.get("events").intValue();
                Object user = Names.user(a.get("user"));
                return () -> p.portSendn(ports, events, user);
            }
            case "port_dispatch": {
                int port = a.get("fd").intValue();
                int source = a.get("source").intValue();
                int events = a.get("events").intValue();
                long object = a.get("object").longValue();
                Object user = Names.user(a.get("user"));
                boolean noshare = a.get("noshare").booleanValue();
                return () -> {
                    p.portDispatch(port, source, events, object, user, noshare);
                    return 0;
                };
            }
            case "port_alert": {
                int port = a.get("fd").intValue();
                int flags = a.get("flags").intValue();
                int events = a.get("events").intValue();
                Object user = Names.user(a.get("user"));
                return () -> {
                    p.portAlert(port, flags, events, user);
                    return 0;
                };
            }
            case "port_get": {
                int port = a.get("fd").intValue();
                Timeout to = timeout(a.get("timeout"));
                return () -> p.portGet(port, to);
            }
            case "port_getn": {
                int port = a.get("fd").intValue();
                int max = (int) a.get("max").longValue();
                int nget = (int) a.get("nget").longValue();
                Timeout to = timeout(a.get("timeout"));
                return () -> p.portGetn(port, max, nget, to);
            }
            case "port_associate": {
                int port = a.get("fd").intValue();
                int source = a.get("source").intValue();
                long object = a.get("object").longValue();
                int events = a.get("events").intValue();
                Object user = Names.user(a.get("user"));
                return () -> {
                    p.portAssociate(port, source, object, events, user);
                    return 0;
                };
            }
            case "port_dissociate": {
                int port = a.get("fd").intValue();
                int source = a.get("source").intValue();
                long object = a.get("object").longValue();
                return () -> {
                    p.portDissociate(port, source, object);
                    return 0;
                };
            }
            case "timer_create": {
                int port = a.get("fd").intValue();
                Object user = Names.user(a.get("user"));
                return () -> TimerSource.timerCreate(p, port, user);
            }
            case "exit":
                return () -> {
                    p.exit();
                    return 0;
                };
            case "dup": {
                int fd = a.get("fd").intValue();
                int min = a.get("min").intValue();
                return () -> p.fcntlDupfd(fd, min);
            }
            case "dup2": {
                int fd = a.get("fd").intValue();
                int to = a.get("to").intValue();
                return () -> p.dup2(fd, to);
            }
            default:
                throw new ScenarioException("unknown op \"" + op + "\"");
        }
    }

    /**
     * The calls of PORT_SOURCE_FILE's world: writing a file_obj into the caller's memory (its times
     * from stat(2), or 0), and the simulated file system's calls. Null for any other op.
     */
    private Callable<Object> fileBody(String op, ObjectNode a) {
        String path = a.hasNonNull("path") ? a.get("path").textValue() : null;
        String from = a.hasNonNull("from") ? a.get("from").textValue() : null;
        String to = a.hasNonNull("to") ? a.get("to").textValue() : null;
        switch (op) {
            case "file_obj": {
                long obj = a.get("obj").longValue();
                String name = a.get("name").textValue();
                boolean stat = a.get("stat").booleanValue();
                return () -> {
                    FileObject fo = obj == 0 ? new FileObject(name) : fileObjs.get(obj);
                    if (fo == null) {
                        throw new PortException(eventports.kernel.Errno.EFAULT);
                    }
                    fo.name = name;
                    fo.atime = fo.mtime = fo.ctime = null;
                    if (stat) {
                        SimFs.of(sys).stat(name, fo);
                    }
                    fileObjs.put(fo.address(), fo);
                    return fo.address();
                };
            }
            case "file_create": return () -> done(() -> SimFs.of(sys).create(path));
            case "file_write": return () -> done(() -> SimFs.of(sys).write(path));
            case "file_read": return () -> done(() -> SimFs.of(sys).read(path));
            case "file_setattr": {
                int attrs = a.get("attrs").intValue();
                return () -> done(() -> SimFs.of(sys).setattr(path, attrs));
            }
            case "file_unlink": return () -> done(() -> SimFs.of(sys).unlink(path));
            case "file_mkdir": return () -> done(() -> SimFs.of(sys).mkdir(path));
            case "file_rmdir": return () -> done(() -> SimFs.of(sys).rmdir(path));
            case "file_rename": return () -> done(() -> SimFs.of(sys).rename(from, to));
            case "file_link": return () -> done(() -> SimFs.of(sys).link(from, to));
            case "fs_mount": {
                boolean vnevents = a.get("vnevents").booleanValue();
                return () -> done(() -> SimFs.of(sys).mount(path, vnevents));
            }
            case "fs_unmount": return () -> done(() -> SimFs.of(sys).unmount(path));
            default: return null;
        }
    }

    /** A file system call that returns 0. */
    private interface FsCall {
        void run() throws PortException;
    }

    private static Object done(FsCall c) throws PortException {
        c.run();
        return 0;
    }

    private static Timeout timeout(JsonNode t) {
        if (t == null || t.isNull()) {
            return null;
        }
        return new Timeout(t.get("sec").longValue(), t.get("nsec").longValue());
    }

    /** Translate what the simulated thread did into a CallResult. */
    private static CallResult outcome(String op, String thread, DetSched.Outcome o) {
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
}
