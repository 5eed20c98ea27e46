package eventports.tracevalidation.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Errno;
import eventports.kernel.Ports;

/**
 * Reading an API trace's fields (a missing or mistyped field is a rejection naming the record)
 * and writing the values spec/ApiTraceEventPort.tla compares: EventPort's ops, payloads
 * (source, events, object, user as canonical JSON), statuses.
 */
final class ApiFields {
    private ApiFields() {
    }

    /** The loader's own rejection: the first record it finds wrong, and why. */
    static final class Reject extends Exception {
        final int at;

        Reject(int at, String why) {
            super(why, null, false, false);
            this.at = at;
        }
    }

    /** The spec's timeout kind: null, zero, invalid (a negative field or nsec >= 10^9), pos. */
    static String timeout(int n, ObjectNode r) throws Reject {
        JsonNode t = r.get("timeout");
        if (t == null || t.isNull()) {
            return "null";
        }
        if (!t.isObject() || !t.path("sec").isIntegralNumber() || !t.path("nsec").isIntegralNumber()) {
            throw new Reject(n, "\"timeout\" must be null or {\"sec\": S, \"nsec\": N} with integers, got " + t);
        }
        long sec = t.get("sec").asLong();
        long nsec = t.get("nsec").asLong();
        if (sec == 0 && nsec == 0) {
            return "zero";
        }
        return sec < 0 || nsec < 0 || nsec >= 1_000_000_000L ? "invalid" : "pos";
    }

    static ObjectNode arg(int want, String usr) {
        ObjectNode a = ApiTraceWriter.JSON.createObjectNode();
        a.put("want", want);
        a.put("usr", usr);
        return a;
    }

    /** EventPort's Op(kind, max, nget, to, aflags, aval) on descriptor {@code fd} of the caller (OnFd). */
    static ObjectNode op(String kind, long max, long nget, String to, String aflags, int aval, long fd) {
        ObjectNode o = ApiTraceWriter.JSON.createObjectNode();
        o.put("kind", kind);
        o.put("max", max);
        o.put("nget", nget);
        o.put("to", to);
        o.put("aflags", aflags);
        o.put("aval", aval);
        o.put("fd", fd);
        return o;
    }

    static ObjectNode op(String kind, long fd) {
        return op(kind, 0, 0, "none", "none", 0, fd);
    }

    static String text(int n, ObjectNode r, String f) throws Reject {
        JsonNode v = r.get(f);
        if (v == null || !v.isTextual()) {
            throw new Reject(n, r.path("kind").asText() + " record without a string \"" + f + "\"");
        }
        return v.asText();
    }

    static long num(int n, ObjectNode r, String f) throws Reject {
        JsonNode v = r.get(f);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new Reject(n, (r.has("op") ? r.get("op").asText() : r.path("kind").asText())
                    + " record without an integer \"" + f + "\" (got " + v + ")");
        }
        return v.asLong();
    }

    static ObjectNode errno(Errno e) {
        return ApiTraceWriter.JSON.createObjectNode().put("errno", e.name());
    }

    /** port_getn's errors keep *nget (libc) and write no events. */
    static ObjectNode getnErr(Errno e, long nget) {
        ObjectNode o = errno(e).put("nget", nget);
        o.putArray("events");
        return o;
    }

    /** Null if {@code got} has the decided status (an absent nget or empty events list is allowed), else why not. */
    static String mismatch(ObjectNode decided, ObjectNode got) {
        if (decided.has("errno") && !decided.get("errno").asText().equals(got.path("errno").asText())) {
            return "errno";
        }
        if (decided.has("ret") && (!got.has("ret") || got.get("ret").asLong() != decided.get("ret").asLong())) {
            return "ret";
        }
        if (decided.has("nget") && got.has("nget") && got.get("nget").asLong() != decided.get("nget").asLong()) {
            return "nget";
        }
        if (decided.has("events") && got.has("events") && !got.get("events").isNull() && got.get("events").size() > 0) {
            return "events";
        }
        return null;
    }

    static String status(ObjectNode r) {
        ObjectNode s = r.deepCopy();
        s.retain("ret", "errno", "panic", "nget", "events", "errors");
        return s.toString();
    }

    static String errName(int n, JsonNode e) throws Reject {
        if (e.isIntegralNumber()) {
            if (e.asInt() == 0) {
                return "OK";
            }
            try {
                return Errno.of(e.asInt()).name();
            } catch (IllegalArgumentException x) {
                throw new Reject(n, "unknown errno number " + e);
            }
        }
        return e.asText();
    }

    /** A user cookie in canonical JSON (a string is quoted, an integer is not). */
    static String canon(JsonNode user) {
        return user == null || user.isNull() ? "0" : user.toString();
    }

    static ObjectNode payload(int src, int ev, String obj, String usr) {
        ObjectNode p = ApiTraceWriter.JSON.createObjectNode();
        p.put("src", src);
        p.put("ev", ev);
        p.put("obj", obj);
        p.put("usr", usr);
        return p;
    }

    static ObjectNode userPay(ObjectNode r, int source, String object) {
        return payload(source, r.path("events").asInt(0), object, canon(r.get("user")));
    }

    /** A delivered event (source as a number or a PORT_SOURCE_* name) as a payload. */
    static ObjectNode eventPay(int n, JsonNode ev) throws Reject {
        JsonNode s = ev.get("source");
        int src = s == null ? -1 : s.isIntegralNumber() ? s.asInt() : Ports.sourceOf(s.asText());
        if (src < 0 || !ev.path("events").isIntegralNumber() || !ev.path("object").isIntegralNumber()) {
            throw new Reject(n, "a delivered event needs a source, integer events and object: " + ev);
        }
        return payload(src, (int) ev.get("events").asLong(), Long.toString(ev.get("object").asLong()), canon(ev.get("user")));
    }
}
