package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import eventports.kernel.Errno;
import eventports.kernel.PortEvent;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/** Matching of a FORMAT.md {@code expect} object against a {@link CallResult}. */
final class Expect {
    private Expect() {
    }

    private static final java.util.Set<String> KEYS = java.util.Set.of("ret", "errno", "blocks", "paused", "nget",
            "events", "errors", "panic");

    /**
     * Null when every key of {@code expect} holds for {@code r}; otherwise a short reason ("" when
     * the expected and actual values printed side by side say it all).
     */
    static String match(JsonNode expect, CallResult r, LongFunction<String> objectName) throws ScenarioException {
        for (Iterator<String> it = expect.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new ScenarioException("unknown expectation key \"" + k + "\"");
            }
        }
        boolean blocks = expect.path("blocks").asBoolean(false);
        boolean paused = expect.path("paused").asBoolean(false);
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
            String line = expect.get("panic").asText();
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
            if (r.kind() != CallResult.Kind.RETURNED || r.ret() != expect.get("ret").asLong()) {
                return "";
            }
        }
        if (expect.has("nget")) {
            if (r.nget() == null || r.nget() != expect.get("nget").asInt()) {
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
            } else {
                int[] got = r.errors();
                if (got == null || got.length != e.size()) {
                    return "errors";
                }
                for (int i = 0; i < got.length; i++) {
                    int want = e.get(i).isIntegralNumber() && e.get(i).asInt() == 0 ? 0 : Names.errno(e.get(i));
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
        List<PortEvent> actual = got == null ? List.of() : got;
        if (actual.size() != want.size()) {
            return "event count " + actual.size() + " instead of " + want.size();
        }
        for (int i = 0; i < actual.size(); i++) {
            JsonNode w = want.get(i);
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
                        ok = f.getValue().isIntegralNumber() ? f.getValue().asLong() == e.object()
                                : f.getValue().asText().equals(objectName.apply(e.object()));
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
