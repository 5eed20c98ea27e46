package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import eventports.kernel.Errno;
import eventports.kernel.Ports;

import java.util.Map;

/** The symbolic names FORMAT.md allows for numbers: sources, alert flags, poll bits, errnos. */
final class Names {
    private Names() {
    }

    /** sys/poll.h values on illumos. */
    static final Map<String, Integer> POLL = Map.ofEntries(
            Map.entry("POLLIN", 0x0001), Map.entry("POLLPRI", 0x0002), Map.entry("POLLOUT", 0x0004),
            Map.entry("POLLERR", 0x0008), Map.entry("POLLHUP", 0x0010), Map.entry("POLLNVAL", 0x0020),
            Map.entry("POLLRDNORM", 0x0040), Map.entry("POLLRDBAND", 0x0080), Map.entry("POLLWRBAND", 0x0100),
            Map.entry("POLLWRNORM", 0x0004), Map.entry("POLLNORM", 0x0040));

    static int source(JsonNode n) throws ScenarioException {
        if (n.isInt()) {
            return n.asInt();
        }
        int s = Ports.sourceOf(n.asText());
        if (s < 0) {
            throw new ScenarioException("unknown source " + n);
        }
        return s;
    }

    static int alertFlags(JsonNode n) throws ScenarioException {
        if (n.isMissingNode() || n.isNull()) {
            return 0;
        }
        if (n.isInt()) {
            return n.asInt();
        }
        switch (n.asText()) {
            case "PORT_ALERT_SET": return Ports.PORT_ALERT_SET;
            case "PORT_ALERT_UPDATE": return Ports.PORT_ALERT_UPDATE;
            default: throw new ScenarioException("unknown alert flags " + n);
        }
    }

    /** An events value: an int, a poll-bit name, or a list of them OR-ed together. */
    static int events(JsonNode n) throws ScenarioException {
        if (n.isMissingNode() || n.isNull()) {
            return 0;
        }
        if (n.isIntegralNumber()) {
            return n.asInt();
        }
        if (n.isArray()) {
            int v = 0;
            for (JsonNode e : n) {
                v |= events(e);
            }
            return v;
        }
        Integer v = POLL.get(n.asText());
        if (v == null) {
            throw new ScenarioException("unknown poll bit " + n);
        }
        return v;
    }

    static int errno(JsonNode n) throws ScenarioException {
        if (n.isIntegralNumber()) {
            return n.asInt();
        }
        try {
            return Errno.valueOf(n.asText()).code;
        } catch (IllegalArgumentException e) {
            throw new ScenarioException("unknown errno " + n);
        }
    }

    /** A user cookie: a string or an integer, compared for equality. */
    static Object user(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return 0L;
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        return n.asText();
    }

    static boolean sameUser(JsonNode expected, Object actual) {
        Object e = user(expected);
        if (e instanceof Long && actual instanceof Number) {
            return (Long) e == ((Number) actual).longValue();
        }
        return e.equals(actual);
    }
}
