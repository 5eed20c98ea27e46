package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import eventports.kernel.Errno;
import eventports.kernel.PortEvent;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Matching of a FORMAT.md {@code expect} object against a {@link CallResult}, and the rules
 * about an expectation's shape that the schema cannot state (keys that contradict each other,
 * keys that the step's op can never produce).
 */
final class Expect {
    private Expect() {
    }

    private static final Set<String> KEYS = Set.of("ret", "errno", "blocks", "paused", "nget", "events", "errors",
            "panic");
    /** Keys that describe a returned call; "blocks", "paused" and "panic" describe one that has not returned. */
    private static final List<String> RESULT_KEYS = List.of("ret", "errno", "nget", "events", "errors");

    /**
     * Null if {@code expect} can hold for a step of {@code op} at all, else why not: a call
     * either returns or fails ({@code ret} with {@code errno}); a call that blocks, pauses or
     * panics has no result to compare; {@code nget} comes only from port_getn, {@code events}
     * only from a retrieval, {@code errors} only from port_sendn (an {@code "errors": null} on
     * another op would hold trivially); {@code "paused": true} needs the step's {@code pause};
     * no retrieval writes more events than its list holds (port_get 1, port_getn {@code max},
     * none for the count query {@code max} 0).
     */
    static String contradiction(JsonNode step, String op) throws ScenarioException {
        JsonNode expect = step.get("expect");
        if (expect == null || expect.isNull()) {
            return null;
        }
        if (!expect.isObject()) {
            return "must be an object, got " + expect;
        }
        boolean await = op.equals("await");
        if (expect.has("ret") && expect.has("errno")) {
            return "\"ret\" and \"errno\" together: a call either returns or fails";
        }
        for (String notReturned : List.of("blocks", "paused", "panic")) {
            boolean set = notReturned.equals("panic") ? expect.has("panic") : flag(expect, notReturned);
            if (!set) {
                continue;
            }
            for (String k : RESULT_KEYS) {
                if (expect.has(k)) {
                    return "\"" + notReturned + "\" with \"" + k + "\": a call that has not returned has no result";
                }
            }
        }
        if (flag(expect, "blocks") && (flag(expect, "paused") || expect.has("panic"))
                || flag(expect, "paused") && expect.has("panic")) {
            return "a call blocks, pauses or panics, not two of these";
        }
        if (expect.has("nget") && !await && !op.equals("port_getn")) {
            return "\"nget\" on " + op + ": only port_getn reports nget";
        }
        if (expect.has("events") && !await && !op.equals("port_get") && !op.equals("port_getn")) {
            return "\"events\" on " + op + ": only port_get and port_getn return events";
        }
        if (expect.has("errors") && !await && !op.equals("port_sendn")) {
            return "\"errors\" on " + op + ": only port_sendn writes an errors array";
        }
        if (flag(expect, "paused") && !await && !step.hasNonNull("pause")) {
            return "\"paused\": true without \"pause\" on the step: the call has no pause point";
        }
        JsonNode events = expect.get("events");
        if (events != null && events.isArray()) {
            long room = op.equals("port_get") ? 1 : op.equals("port_getn")
                    ? Integer.toUnsignedLong(Names.uint32(Names.required(step, "max"), "max")) : Long.MAX_VALUE;
            if (events.size() > room) {
                return events.size() + " events expected, but " + (room == 0 ? "a count query (max 0) writes none"
                        : op + " writes at most " + room);
            }
        }
        return null;
    }

    /** A boolean key of an expectation; false when absent. */
    private static boolean flag(JsonNode expect, String key) throws ScenarioException {
        JsonNode v = expect.get(key);
        return v != null && Names.bool(v, key);
    }

    /**
     * Null when every key of {@code expect} holds for {@code r}; otherwise a short reason ("" when
     * the expected and actual values printed side by side say it all).
     */
    static String match(JsonNode expect, CallResult r, LongFunction<String> objectName) throws ScenarioException {
        if (!expect.isObject()) {
            throw new ScenarioException("\"expect\" must be an object, got " + expect);
        }
        for (Iterator<String> it = expect.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new ScenarioException("unknown expectation key \"" + k + "\"");
            }
        }
        boolean blocks = flag(expect, "blocks");
        boolean paused = flag(expect, "paused");
        if (blocks != (r.kind() == CallResult.Kind.BLOCKED)) {
            return "";
        }
        if (paused != (r.kind() == CallResult.Kind.PAUSED)) {
            if (paused || expect.has("ret") || expect.has("errno") || expect.has("panic")) {
                return "";
            }
        }
        if (expect.has("panic")) {
            if (r.kind() != CallResult.Kind.PANIC) {
                return "";
            }
            JsonNode panic = expect.get("panic");
            if (!panic.isTextual()) {
                throw Names.bad("panic", "a seed line number as a string", panic);
            }
            String line = panic.textValue();
            return r.message().startsWith("port.c:" + line + ":") ? null : "panic at another seed line";
        }
        if (r.kind() == CallResult.Kind.PANIC) {
            return "";
        }
        if (expect.has("errno")) {
            if (r.kind() != CallResult.Kind.ERRNO) {
                return "";
            }
            String want = Errno.of(Names.errno(expect.get("errno"))).name();
            if (!want.equals(r.errno())) {
                return "";
            }
        }
        if (expect.has("ret")) {
            if (r.kind() != CallResult.Kind.RETURNED || r.ret() != Names.int64(expect.get("ret"), "ret")) {
                return "";
            }
        }
        if (expect.has("nget")) {
            if (r.nget() == null || r.nget() != Names.uint32(expect.get("nget"), "nget")) {
                return "nget";
            }
        }
        if (expect.has("events")) {
            String m = events(expect.get("events"), r.events(), objectName);
            if (m != null) {
                return m;
            }
        }
        if (expect.has("errors")) {
            JsonNode e = expect.get("errors");
            if (e.isNull()) {
                if (r.errors() != null) {
                    return "errors array written";
                }
            } else if (!e.isArray()) {
                throw Names.bad("errors", "null or a list", e);
            } else {
                int[] got = r.errors();
                if (got == null || got.length != e.size()) {
                    return "errors";
                }
                for (int i = 0; i < got.length; i++) {
                    int want = e.get(i).isNumber() ? (int) Names.integer(e.get(i), "errors[" + i + "]", 0, 0)
                            : Names.errno(e.get(i));
                    if (got[i] != want) {
                        return "errors[" + i + "]";
                    }
                }
            }
        }
        return null;
    }

    private static String events(JsonNode want, List<PortEvent> got, LongFunction<String> objectName)
            throws ScenarioException {
        if (!want.isArray()) {
            throw Names.bad("events", "a list of events", want);
        }
        List<PortEvent> actual = got == null ? List.of() : got;
        if (actual.size() != want.size()) {
            return "event count " + actual.size() + " instead of " + want.size();
        }
        for (int i = 0; i < actual.size(); i++) {
            JsonNode w = want.get(i);
            if (!w.isObject()) {
                throw Names.bad("events[" + i + "]", "an event object", w);
            }
            PortEvent e = actual.get(i);
            for (Iterator<Map.Entry<String, JsonNode>> it = w.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                boolean ok;
                switch (f.getKey()) {
                    case "source":
                        ok = Names.source(f.getValue()) == e.source();
                        break;
                    case "events":
                        ok = Names.events(f.getValue()) == e.events();
                        break;
                    case "object":
                        ok = f.getValue().isTextual() ? f.getValue().textValue().equals(objectName.apply(e.object()))
                                : Names.int64(f.getValue(), "object") == e.object();
                        break;
                    case "user":
                        ok = Names.sameUser(f.getValue(), e.user());
                        break;
                    default:
                        throw new ScenarioException("unknown event key \"" + f.getKey() + "\"");
                }
                if (!ok) {
                    return "event " + i + " " + f.getKey();
                }
            }
        }
        return null;
    }
}
