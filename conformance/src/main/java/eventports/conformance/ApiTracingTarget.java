package eventports.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.tracevalidation.api.ApiTraceWriter;

import java.util.HashMap;
import java.util.Map;

/**
 * A {@link Target} that writes the API-level trace (trace-validation/FORMAT.md, "Level api")
 * of whatever it drives, as a caller of the implementation sees it: a call record before each
 * call, a return record when it returns, a sleep record whenever a thread is reported asleep,
 * an env record for each input. The Java reference's traces come from here, both in process
 * ({@link ScenarioRun#apiTrace}) and behind the protocol ({@link ProtocolServer}).
 */
final class ApiTracingTarget implements Target {
    private final Target inner;
    private final ApiTraceWriter api;
    /** Each thread's process and call in progress, for its later return or sleep record. */
    private final Map<String, String> procOf = new HashMap<>();
    private final Map<String, String> opOf = new HashMap<>();

    ApiTracingTarget(Target inner, ApiTraceWriter api) {
        this.inner = inner;
        this.api = api;
    }

    Target inner() {
        return inner;
    }

    @Override
    public CallResult call(String thread, String proc, String op, ObjectNode args, String pause)
            throws ScenarioException {
        procOf.put(thread, proc);
        opOf.put(thread, op);
        api.call(thread, proc, op, args.deepCopy());
        return traced(thread, inner.call(thread, proc, op, args, pause));
    }

    @Override
    public CallResult await(String thread) throws ScenarioException {
        return traced(thread, inner.await(thread));
    }

    @Override
    public String state(String thread) throws ScenarioException {
        String st = inner.state(thread);
        if (st.equals("blocked")) {
            api.sleep(thread, procOf.get(thread));
        }
        return st;
    }

    @Override
    public void fork(String proc, String child) throws ScenarioException {
        inner.fork(proc, child);
        env("fork", "proc", proc, "child", child);
    }

    @Override
    public void advance(long ms) throws ScenarioException {
        inner.advance(ms);
        env("advance", "ms", ms);
    }

    @Override
    public void interrupt(String thread) throws ScenarioException {
        inner.interrupt(thread);
        env("interrupt", "thread", thread);
    }

    @Override
    public CallResult fdOpen(String proc) throws ScenarioException {
        CallResult r = inner.fdOpen(proc);
        if (r.kind() == CallResult.Kind.RETURNED) {
            env("fd_open", "proc", proc, "fd", r.ret());
        }
        return r;
    }

    @Override
    public void fdReady(String proc, int fd, int events) throws ScenarioException {
        inner.fdReady(proc, fd, events);
        env("fd_ready", "proc", proc, "fd", fd, "events", events);
    }

    @Override
    public void fdClear(String proc, int fd) throws ScenarioException {
        inner.fdClear(proc, fd);
        env("fd_clear", "proc", proc, "fd", fd);
    }

    @Override
    public CallResult sendfd(String proc, int fd, String to) throws ScenarioException {
        CallResult r = inner.sendfd(proc, fd, to);
        if (r.kind() == CallResult.Kind.RETURNED) {
            env("sendfd", "proc", proc, "fd", fd, "to", to, "newfd", r.ret());
        }
        return r;
    }

    @Override
    public CallResult timerExpire(String proc, int timer) throws ScenarioException {
        env("timer_expire", "proc", proc, "timer", timer);
        return inner.timerExpire(proc, timer);
    }

    @Override
    public void close() {
        inner.close();
    }

    /** How a call ended: a return record, or a sleep record when it blocked. */
    private CallResult traced(String thread, CallResult r) {
        String proc = procOf.get(thread);
        switch (r.kind()) {
            case BLOCKED:
                api.sleep(thread, proc);
                return r;
            case PAUSED:
            case BROKEN:
                return r;
            default:
                break;
        }
        ObjectNode status = Wire.reply(r);
        status.remove("status");
        if (r.kind() == CallResult.Kind.PANIC) {
            status.remove("message");
            status.put("panic", r.message());
        }
        api.returned(thread, proc, opOf.get(thread), status);
        return r;
    }

    /** An environment input: {@code kv} alternates field names and values. */
    private void env(String op, Object... kv) {
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
}
