package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Limits;
import eventports.kernel.Profile;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * One scenario on another implementation, over PROTOCOL.md: {@code begin}, one request per
 * step, {@code end}. A protocol error (the child exited, stalled, wrote something that is not
 * a reply) is a {@link ScenarioException} whose message ends with the child's last lines of
 * standard error; the child is then dead, and the runner starts a new one for the next
 * scenario.
 */
final class ExternalTarget implements Target {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ImplProcess impl;

    ExternalTarget(ImplProcess impl, Scenario sc, Profile profile, Path trace) throws ScenarioException {
        this.impl = impl;
        ObjectNode begin = request("begin");
        begin.put("scenario", sc.name());
        begin.put("profile", profile.id());
        begin.put("layer", sc.layer().id());
        Limits l = sc.limits();
        ObjectNode limits = begin.putObject("limits");
        limits.put("port_max_events", l.portMaxEvents());
        limits.put("port_max_ids", l.portMaxIds());
        limits.put("port_max_list", l.portMaxList());
        limits.put("fd_max", l.fdMax());
        if (trace == null) {
            begin.putNull("trace");
        } else {
            begin.put("trace", trace.toAbsolutePath().toString());
        }
        ok(send(begin));
    }

    private static ObjectNode request(String type) {
        ObjectNode o = JSON.objectNode();
        o.put("type", type);
        return o;
    }

    private JsonNode send(ObjectNode req) throws ScenarioException {
        try {
            return impl.request(req);
        } catch (Wire.ProtocolError e) {
            throw new ScenarioException(withStderr(e.getMessage()));
        }
    }

    /** The message, then the child's last lines of standard error, indented. */
    String withStderr(String message) {
        StringBuilder b = new StringBuilder(message);
        for (String line : impl.stderrTail()) {
            b.append("\n    stderr: ").append(line);
        }
        return b.toString();
    }

    private void ok(JsonNode reply) throws ScenarioException {
        if (reply.has("error")) {
            throw new ScenarioException("the implementation refused the step: " + reply.get("error").asText());
        }
        if (!reply.path("ok").asBoolean(false)) {
            throw new ScenarioException(withStderr("protocol error: expected {\"ok\":true}, got " + reply));
        }
    }

    private CallResult status(JsonNode reply) throws ScenarioException {
        try {
            return Wire.result(reply);
        } catch (Wire.ProtocolError e) {
            throw new ScenarioException(withStderr("protocol error: " + e.getMessage() + " in " + reply));
        }
    }

    @Override
    public CallResult call(String thread, String proc, String op, ObjectNode args, String pause)
            throws ScenarioException {
        ObjectNode req = request("call");
        req.put("thread", thread);
        req.put("proc", proc);
        req.put("op", op);
        for (Iterator<Map.Entry<String, JsonNode>> it = args.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            req.set(f.getKey(), f.getValue());
        }
        if (pause != null) {
            req.put("pause", pause);
        }
        return status(send(req));
    }

    @Override
    public CallResult await(String thread) throws ScenarioException {
        ObjectNode req = request("await");
        req.put("thread", thread);
        return status(send(req));
    }

    @Override
    public String state(String thread) throws ScenarioException {
        ObjectNode req = request("state");
        req.put("thread", thread);
        JsonNode r = send(req);
        String st = r.path("state").asText("");
        if (!st.matches("idle|blocked|runnable|paused")) {
            if (r.has("error")) {
                throw new ScenarioException("the implementation refused the step: " + r.get("error").asText());
            }
            throw new ScenarioException(withStderr("protocol error: \"state\" must be idle, blocked, runnable or"
                    + " paused, got " + r));
        }
        return st;
    }

    @Override
    public void fork(String proc, String child) throws ScenarioException {
        ObjectNode req = request("fork");
        req.put("proc", proc);
        req.put("child", child);
        ok(send(req));
    }

    @Override
    public void advance(long ms) throws ScenarioException {
        ObjectNode req = request("advance");
        req.put("ms", ms);
        ok(send(req));
    }

    @Override
    public void interrupt(String thread) throws ScenarioException {
        ObjectNode req = request("interrupt");
        req.put("thread", thread);
        ok(send(req));
    }

    @Override
    public CallResult fdOpen(String proc) throws ScenarioException {
        ObjectNode req = request("fd_open");
        req.put("proc", proc);
        return status(send(req));
    }

    @Override
    public void fdReady(String proc, int fd, int events) throws ScenarioException {
        ObjectNode req = request("fd_ready");
        req.put("proc", proc);
        req.put("fd", fd);
        req.put("events", events);
        ok(send(req));
    }

    @Override
    public void fdClear(String proc, int fd) throws ScenarioException {
        ObjectNode req = request("fd_clear");
        req.put("proc", proc);
        req.put("fd", fd);
        ok(send(req));
    }

    @Override
    public CallResult sendfd(String proc, int fd, String to) throws ScenarioException {
        ObjectNode req = request("sendfd");
        req.put("proc", proc);
        req.put("fd", fd);
        req.put("to", to);
        return status(send(req));
    }

    @Override
    public CallResult timerExpire(String proc, int timer) throws ScenarioException {
        ObjectNode req = request("timer_expire");
        req.put("proc", proc);
        req.put("timer", timer);
        JsonNode r = send(req);
        if (r.path("ok").asBoolean(false)) {
            return null;
        }
        return status(r);
    }

    /** {@code end}: the implementation drops the scenario; a failure here leaves the child dead. */
    @Override
    public void close() {
        if (impl.dead()) {
            return;
        }
        try {
            JsonNode r = impl.request(request("end"));
            if (!r.path("ok").asBoolean(false)) {
                impl.close();
            }
        } catch (Wire.ProtocolError e) {
            impl.close();
        }
    }
}
