package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Errno;
import eventports.kernel.PortEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * A step's outcome on the wire (PROTOCOL.md "Statuses"): read from another implementation's
 * reply, and written by the reference's own protocol server. Reading is strict: a reply that
 * does not have the documented shape is a protocol error, never a guess.
 */
final class Wire {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Wire() {
    }

    /** Thrown for a reply outside the protocol; the message says what is wrong with it. */
    static final class ProtocolError extends Exception {
        private static final long serialVersionUID = 1L;

        ProtocolError(String message) {
            super(message);
        }
    }

    /** The outcome a status reply reports. A refusal ({@code "error"}) is a BROKEN result. */
    static CallResult result(JsonNode reply) throws ProtocolError {
        if (reply.has("error")) {
            return CallResult.broken("the implementation refused the step: " + reply.get("error").asText());
        }
        JsonNode status = reply.get("status");
        if (status == null || !status.isTextual()) {
            throw new ProtocolError("a reply to a step must have a \"status\"");
        }
        switch (status.asText()) {
            case "blocked":
                return CallResult.blocked();
            case "paused":
                return CallResult.paused();
            case "panic":
                return CallResult.panic(reply.path("message").asText("panic"));
            case "returned":
                break;
            default:
                throw new ProtocolError("unknown status \"" + status.asText() + "\"");
        }
        Integer nget = null;
        if (reply.has("nget") && !reply.get("nget").isNull()) {
            nget = (int) integer(reply, "nget", 0, 0xFFFF_FFFFL);
        }
        List<PortEvent> events = null;
        if (reply.has("events") && !reply.get("events").isNull()) {
            events = events(reply.get("events"));
        }
        if (reply.has("errno")) {
            JsonNode e = reply.get("errno");
            if (!e.isTextual() || !known(e.asText())) {
                throw new ProtocolError("\"errno\" must be an errno name such as \"EBADF\", got " + e);
            }
            return CallResult.errno(e.asText(), nget, events);
        }
        long ret = integer(reply, "ret", Long.MIN_VALUE, Long.MAX_VALUE);
        if (reply.has("errors")) {
            JsonNode errs = reply.get("errors");
            if (errs.isNull()) {
                return CallResult.sendn((int) ret, null);
            }
            if (!errs.isArray()) {
                throw new ProtocolError("\"errors\" must be a list or null, got " + errs);
            }
            int[] codes = new int[errs.size()];
            for (int i = 0; i < codes.length; i++) {
                JsonNode c = errs.get(i);
                if (c.isIntegralNumber() && c.canConvertToInt()) {
                    codes[i] = c.intValue();
                } else if (c.isTextual() && known(c.asText())) {
                    codes[i] = Errno.valueOf(c.asText()).code;
                } else {
                    throw new ProtocolError("\"errors\"[" + i + "] must be 0 or an errno name, got " + c);
                }
            }
            return CallResult.sendn((int) ret, codes);
        }
        return CallResult.returned(ret, nget, events);
    }

    private static boolean known(String errno) {
        try {
            Errno.valueOf(errno);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static long integer(JsonNode reply, String field, long min, long max) throws ProtocolError {
        JsonNode v = reply.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw new ProtocolError("\"" + field + "\" must be an integer" + (min == 0 ? " >= 0" : "") + ", got " + v);
        }
        return v.asLong();
    }

    private static List<PortEvent> events(JsonNode list) throws ProtocolError {
        if (!list.isArray()) {
            throw new ProtocolError("\"events\" must be a list, got " + list);
        }
        List<PortEvent> out = new ArrayList<>();
        for (JsonNode e : list) {
            if (!e.isObject()) {
                throw new ProtocolError("an event must be an object, got " + e);
            }
            int source;
            try {
                source = Names.source(e.path("source"));
            } catch (ScenarioException x) {
                throw new ProtocolError("event " + e + ": " + x.getMessage());
            }
            long bits = integer(e, "events", Integer.MIN_VALUE, 0xFFFF_FFFFL);
            long object = e.has("object") ? integer(e, "object", Long.MIN_VALUE, Long.MAX_VALUE) : 0;
            JsonNode user = e.get("user");
            if (user != null && !user.isNull() && !user.isTextual() && !user.isIntegralNumber()) {
                throw new ProtocolError("event " + e + ": \"user\" must be a string or an integer");
            }
            Object cookie = user == null || user.isNull() ? (Object) 0L
                    : user.isTextual() ? user.textValue() : (Object) user.longValue();
            out.add(new PortEvent((int) bits, source, object, cookie));
        }
        return out;
    }

    /** The reply that reports {@code r} (the reference's protocol server). */
    static ObjectNode reply(CallResult r) {
        ObjectNode o = JSON.objectNode();
        switch (r.kind()) {
            case BLOCKED:
                o.put("status", "blocked");
                return o;
            case PAUSED:
                o.put("status", "paused");
                return o;
            case PANIC:
                o.put("status", "panic");
                o.put("message", r.message());
                return o;
            case BROKEN:
                o.put("error", r.message());
                return o;
            default:
                break;
        }
        o.put("status", "returned");
        if (r.kind() == CallResult.Kind.ERRNO) {
            o.put("errno", r.errno());
        } else {
            o.put("ret", r.ret());
        }
        if (r.nget() != null) {
            o.put("nget", Integer.toUnsignedLong(r.nget()));
        }
        if (r.events() != null) {
            ArrayNode evs = o.putArray("events");
            for (PortEvent e : r.events()) {
                ObjectNode ev = evs.addObject();
                ev.put("source", e.source());
                ev.put("events", e.events());
                ev.put("object", e.object());
                if (e.user() instanceof Number) {
                    ev.put("user", ((Number) e.user()).longValue());
                } else {
                    ev.put("user", String.valueOf(e.user()));
                }
            }
        }
        if (r.errorsWritten()) {
            if (r.errors() == null) {
                o.putNull("errors");
            } else {
                ArrayNode errs = o.putArray("errors");
                for (int c : r.errors()) {
                    if (c == 0) {
                        errs.add(0);
                    } else {
                        errs.add(Errno.of(c).name());
                    }
                }
            }
        }
        return o;
    }
}
