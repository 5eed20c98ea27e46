package eventports.trace;

import java.util.Collection;
import java.util.Map;

/**
 * Writes trace records as NDJSON lines (trace-validation/FORMAT.md): one flat JSON object per
 * record with {@code seq}, {@code action}, {@code thread}, {@code pid}, {@code port}, then the
 * record's fields. Values are strings, integers, booleans, null, or lists of those. Hand-written
 * so that the core needs no JSON library.
 */
public final class Ndjson {
    private Ndjson() {
    }

    public static String line(TraceRecord r) {
        StringBuilder b = new StringBuilder(96);
        b.append("{\"seq\":").append(r.seq());
        b.append(",\"action\":");
        string(b, r.action());
        b.append(",\"thread\":");
        string(b, r.thread());
        b.append(",\"pid\":").append(r.pid());
        b.append(",\"port\":").append(r.port());
        for (Map.Entry<String, Object> e : r.fields().entrySet()) {
            b.append(',');
            string(b, e.getKey());
            b.append(':');
            value(b, e.getValue());
        }
        return b.append('}').toString();
    }

    private static void value(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Collection) {
            b.append('[');
            boolean first = true;
            for (Object o : (Collection<?>) v) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                value(b, o);
            }
            b.append(']');
        } else {
            string(b, v.toString());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }
}
