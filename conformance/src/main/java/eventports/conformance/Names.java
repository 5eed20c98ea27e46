package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import eventports.kernel.Errno;
import eventports.kernel.Ports;

import java.math.BigInteger;
import java.util.Map;

/**
 * The values FORMAT.md allows in a step, read strictly: symbolic names for numbers (sources,
 * alert flags, poll bits, errnos) and typed fields. Nothing is coerced: a string where an
 * integer belongs, an integer out of its C type's range, a missing required field, are each a
 * {@link ScenarioException} naming the field. (The schema says the same for files; these
 * readers also guard steps built in code, such as the explorer's.)
 */
final class Names {
    private Names() {
    }

    /** sys/poll.h values on illumos. */
    static final Map<String, Integer> POLL = Map.ofEntries(
            Map.entry("POLLIN", 0x0001), Map.entry("POLLPRI", 0x0002), Map.entry("POLLOUT", 0x0004),
            Map.entry("POLLERR", 0x0008), Map.entry("POLLHUP", 0x0010), Map.entry("POLLNVAL", 0x0020),
            Map.entry("POLLRDNORM", 0x0040), Map.entry("POLLRDBAND", 0x0080), Map.entry("POLLWRBAND", 0x0100),
            Map.entry("POLLWRNORM", 0x0004), Map.entry("POLLNORM", 0x0040));

    /** sys/port.h PORT_SOURCE_FILE event bits (in the events of port_associate and of an expected event). */
    static final Map<String, Integer> FILE = Map.ofEntries(
            Map.entry("FILE_ACCESS", 0x00000001), Map.entry("FILE_MODIFIED", 0x00000002),
            Map.entry("FILE_ATTRIB", 0x00000004), Map.entry("FILE_TRUNC", 0x00100000),
            Map.entry("FILE_NOFOLLOW", 0x10000000), Map.entry("FILE_DELETE", 0x00000010),
            Map.entry("FILE_RENAME_TO", 0x00000020), Map.entry("FILE_RENAME_FROM", 0x00000040),
            Map.entry("UNMOUNTED", 0x20000000), Map.entry("MOUNTEDOVER", 0x40000000));

    /** sys/vnode.h va_mask bits file_setattr takes. */
    static final Map<String, Integer> ATTRS = Map.ofEntries(
            Map.entry("AT_MODE", 0x00002), Map.entry("AT_UID", 0x00004), Map.entry("AT_GID", 0x00008),
            Map.entry("AT_SIZE", 0x00080), Map.entry("AT_ATIME", 0x00100), Map.entry("AT_MTIME", 0x00200));

    static final long UINT_MAX = 0xFFFF_FFFFL;

    // ---- typed fields -----------------------------------------------------------------

    /** The field {@code name} of {@code step}, which must be present and not null. */
    static JsonNode required(JsonNode step, String name) throws ScenarioException {
        JsonNode v = step.get(name);
        if (v == null || v.isNull()) {
            throw new ScenarioException("missing \"" + name + "\"");
        }
        return v;
    }

    /** A required non-empty string field (a name, an op). */
    static String string(JsonNode step, String name) throws ScenarioException {
        JsonNode v = required(step, name);
        if (!v.isTextual() || v.textValue().isEmpty()) {
            throw bad(name, "a non-empty string", v);
        }
        return v.textValue();
    }

    /** An optional string field: null when absent. */
    static String optionalString(JsonNode step, String name) throws ScenarioException {
        JsonNode v = step.get(name);
        return v == null || v.isNull() ? null : string(step, name);
    }

    static boolean bool(JsonNode v, String name) throws ScenarioException {
        if (!v.isBoolean()) {
            throw bad(name, "true or false", v);
        }
        return v.booleanValue();
    }

    /** A C int. */
    static int int32(JsonNode v, String name) throws ScenarioException {
        return (int) integer(v, name, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A uint_t, as the int with the same bits (the kernel compares counts unsigned). */
    static int uint32(JsonNode v, String name) throws ScenarioException {
        return (int) integer(v, name, 0, UINT_MAX);
    }

    /** A 64-bit integer (long, hrtime_t, uintptr_t). */
    static long int64(JsonNode v, String name) throws ScenarioException {
        return integer(v, name, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * An integer in [lo, hi]. A number with a fraction is not one; {@code 1e2} is (JSON Schema
     * counts a number by its value, and so does this reader).
     */
    static long integer(JsonNode v, String name, long lo, long hi) throws ScenarioException {
        if (!v.isNumber() || !v.canConvertToExactIntegral()) {
            throw bad(name, "an integer in " + lo + ".." + hi, v);
        }
        BigInteger b = v.isIntegralNumber() ? v.bigIntegerValue() : v.decimalValue().toBigIntegerExact();
        if (b.compareTo(BigInteger.valueOf(lo)) < 0 || b.compareTo(BigInteger.valueOf(hi)) > 0) {
            throw bad(name, "an integer in " + lo + ".." + hi, v);
        }
        return b.longValue();
    }

    static ScenarioException bad(String name, String what, JsonNode got) {
        return new ScenarioException("\"" + name + "\" must be " + what + ", got " + got);
    }

    // ---- symbolic values ----------------------------------------------------------------

    static int source(JsonNode n) throws ScenarioException {
        if (n.isTextual()) {
            int s = Ports.sourceOf(n.textValue());
            if (s < 0) {
                throw new ScenarioException("unknown source " + n);
            }
            return s;
        }
        return int32(n, "source");
    }

    static int alertFlags(JsonNode n) throws ScenarioException {
        if (n.isTextual()) {
            switch (n.textValue()) {
                case "PORT_ALERT_SET": return Ports.PORT_ALERT_SET;
                case "PORT_ALERT_UPDATE": return Ports.PORT_ALERT_UPDATE;
                default: throw new ScenarioException("unknown alert flags " + n);
            }
        }
        return int32(n, "flags");
    }

    /** An events value: an int, a poll-bit or FILE_* name, or a list of them OR-ed together. */
    static int events(JsonNode n) throws ScenarioException {
        return bits(n, "events", "poll bit or file event", POLL, FILE);
    }

    /** file_setattr's {@code attrs}: an int, an AT_* name, or a list of them OR-ed together. */
    static int attrs(JsonNode n) throws ScenarioException {
        return bits(n, "attrs", "AT_* attribute", ATTRS, Map.of());
    }

    private static int bits(JsonNode n, String field, String what, Map<String, Integer> names,
                            Map<String, Integer> more) throws ScenarioException {
        if (n.isArray()) {
            int v = 0;
            for (JsonNode e : n) {
                if (e.isArray()) {
                    throw bad(field, "an int, a " + what + " name or a flat list of them", n);
                }
                v |= bits(e, field, what, names, more);
            }
            return v;
        }
        if (n.isTextual()) {
            Integer v = names.containsKey(n.textValue()) ? names.get(n.textValue()) : more.get(n.textValue());
            if (v == null) {
                throw new ScenarioException("unknown " + what + " " + n);
            }
            return v;
        }
        return int32(n, field);
    }

    /** An absolute path of the simulated file system. */
    static String path(JsonNode step, String field) throws ScenarioException {
        String p = string(step, field);
        if (!p.startsWith("/")) {
            throw bad(field, "an absolute path", step.get(field));
        }
        return p;
    }

    /** An errno by its errno.h name. */
    static int errno(JsonNode n) throws ScenarioException {
        if (!n.isTextual()) {
            throw bad("errno", "an errno name", n);
        }
        try {
            return Errno.valueOf(n.textValue()).code;
        } catch (IllegalArgumentException e) {
            throw new ScenarioException("unknown errno " + n);
        }
    }

    /** A user cookie: a string or a 64-bit integer, compared for equality. */
    static Object user(JsonNode n) throws ScenarioException {
        if (n.isTextual()) {
            return n.textValue();
        }
        return int64(n, "user");
    }

    static boolean sameUser(JsonNode expected, Object actual) throws ScenarioException {
        Object e = user(expected);
        if (e instanceof Long && actual instanceof Number) {
            return (Long) e == ((Number) actual).longValue();
        }
        return e.equals(actual);
    }
}
