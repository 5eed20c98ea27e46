package eventports.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Errno;
import eventports.kernel.PortEvent;
import eventports.kernel.Ports;
import eventports.kernel.Profile;

import java.util.List;

/**
 * Writes the scenario format that {@link Scenario} reads: a scenario's head, its steps (one
 * factory per op, fields in the order the corpus writes them) and the expectation an observed
 * {@link CallResult} meets. Programs that generate scenarios (the explorer records every run as
 * one) write them here, so that the format has one reader and one writer side by side.
 *
 * <p>Descriptors are named as the scenario names them ({@code "A"}, {@code "bad:999"}); numbers
 * with a symbolic name in the format (sources, alert flags, errnos) are written by name.
 */
public final class ScenarioWriter {
    private ScenarioWriter() {
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A timeout as a call passes it: {@code null} is a NULL pointer (wait forever). */
    public record Timespec(long sec, long nsec) {
    }

    /** The head of a scenario (no {@code "steps"} yet) for one profile and these limits. */
    public static ObjectNode scenario(String name, String about, Profile profile, int portMaxEvents,
                                      int portMaxList) {
        return scenario(name, about, profile, eventports.kernel.Layer.DESCRIPTORS, portMaxEvents, portMaxList);
    }

    /** As above, in {@code layer}: the key is written only for the portfs layer (absent is the default). */
    public static ObjectNode scenario(String name, String about, Profile profile, eventports.kernel.Layer layer,
                                      int portMaxEvents, int portMaxList) {
        ObjectNode root = JSON.objectNode();
        root.put("name", name);
        root.put("about", about);
        root.put("profile", profile.id());
        if (layer != eventports.kernel.Layer.DESCRIPTORS) {
            root.put("layer", layer.id());
        }
        ObjectNode limits = root.putObject("limits");
        limits.put("port_max_events", portMaxEvents);
        limits.put("port_max_list", portMaxList);
        return root;
    }

    // ---- calls: op, thread, proc, then the call's arguments ------------------------------------

    public static ObjectNode portCreate(String thread, String proc, String as) {
        ObjectNode s = call("port_create", thread, proc);
        s.put("as", as);
        return s;
    }

    public static ObjectNode portSend(String thread, String proc, String port, int events, String user) {
        ObjectNode s = call("port_send", thread, proc);
        s.put("port", port);
        s.put("events", events);
        s.put("user", user);
        return s;
    }

    public static ObjectNode portSendn(String thread, String proc, List<String> ports, int events, String user) {
        ObjectNode s = call("port_sendn", thread, proc);
        ArrayNode l = s.putArray("ports");
        ports.forEach(l::add);
        s.put("events", events);
        s.put("user", user);
        return s;
    }

    public static ObjectNode portDispatch(String thread, String proc, String port, int source, int events,
                                          long object, String user, boolean noshare) {
        ObjectNode s = call("port_dispatch", thread, proc);
        s.put("port", port);
        source(s, source);
        s.put("events", events);
        s.put("object", object);
        s.put("user", user);
        s.put("noshare", noshare);
        return s;
    }

    public static ObjectNode portAlert(String thread, String proc, String port, int flags, int events, String user) {
        ObjectNode s = call("port_alert", thread, proc);
        s.put("port", port);
        if (flags == Ports.PORT_ALERT_SET) {
            s.put("flags", "PORT_ALERT_SET");
        } else if (flags == Ports.PORT_ALERT_UPDATE) {
            s.put("flags", "PORT_ALERT_UPDATE");
        } else {
            s.put("flags", flags);
        }
        s.put("events", events);
        s.put("user", user);
        return s;
    }

    /** port_get; {@code pause} stops it at the start of its delivery loop ({@code "pause": "delivery"}). */
    public static ObjectNode portGet(String thread, String proc, String port, Timespec timeout, boolean pause) {
        ObjectNode s = call("port_get", thread, proc);
        s.put("port", port);
        timeout(s, timeout);
        pause(s, pause);
        return s;
    }

    public static ObjectNode portGetn(String thread, String proc, String port, int max, int nget, Timespec timeout,
                                      boolean pause) {
        ObjectNode s = call("port_getn", thread, proc);
        s.put("port", port);
        s.put("max", max);
        s.put("nget", nget);
        timeout(s, timeout);
        pause(s, pause);
        return s;
    }

    public static ObjectNode portAssociate(String thread, String proc, String port, int source, long object,
                                           int events, String user) {
        ObjectNode s = onObject("port_associate", thread, proc, port, source, object);
        s.put("events", events);
        s.put("user", user);
        return s;
    }

    public static ObjectNode portDissociate(String thread, String proc, String port, int source, long object) {
        return onObject("port_dissociate", thread, proc, port, source, object);
    }

    public static ObjectNode close(String thread, String proc, String fd) {
        ObjectNode s = call("close", thread, proc);
        s.put("fd", fd);
        return s;
    }

    // ---- driver ops -------------------------------------------------------------------------

    public static ObjectNode exit(String proc) {
        ObjectNode s = op("exit");
        s.put("proc", proc);
        return s;
    }

    public static ObjectNode fork(String proc, String child) {
        ObjectNode s = op("fork");
        s.put("proc", proc);
        s.put("child", child);
        return s;
    }

    /** A descriptor that is not a port, opened by {@code proc} and named {@code as}. */
    public static ObjectNode fdOpen(String proc, String as) {
        ObjectNode s = op("fd_open");
        s.put("proc", proc);
        s.put("as", as);
        return s;
    }

    public static ObjectNode await(String thread) {
        return onThread("await", thread);
    }

    public static ObjectNode interrupt(String thread) {
        return onThread("interrupt", thread);
    }

    public static ObjectNode expectBlocked(String thread) {
        return onThread("expect_blocked", thread);
    }

    public static ObjectNode advance(long ms) {
        ObjectNode s = op("advance");
        s.put("ms", ms);
        return s;
    }

    // ---- expectations -----------------------------------------------------------------------

    /** The expectation ({@code "expect"}) that the observed outcome {@code r} meets. */
    public static ObjectNode expect(CallResult r) {
        ObjectNode e = JSON.objectNode();
        switch (r.kind()) {
            case BLOCKED:
                e.put("blocks", true);
                return e;
            case PAUSED:
                e.put("paused", true);
                return e;
            case PANIC: {
                String m = r.message() == null ? "" : r.message();
                String line = m.startsWith("port.c:") ? m.substring(7, Math.max(7, m.indexOf(':', 7))) : m;
                e.put("panic", line);
                return e;
            }
            case BROKEN:
                return e;
            case RETURNED:
                e.put("ret", r.ret());
                break;
            default:
                e.put("errno", r.errno());
                break;
        }
        if (r.nget() != null) {
            e.put("nget", r.nget());
        }
        if (r.events() != null) {
            ArrayNode l = e.putArray("events");
            for (PortEvent ev : r.events()) {
                l.add(event(ev));
            }
        }
        if (r.errorsWritten()) {
            if (r.errors() == null) {
                e.putNull("errors");
            } else {
                ArrayNode l = e.putArray("errors");
                for (int code : r.errors()) {
                    if (code == 0) {
                        l.add(0);
                    } else {
                        l.add(Errno.of(code).name());
                    }
                }
            }
        }
        return e;
    }

    /** A retrieved event as an expectation lists it. */
    public static ObjectNode event(PortEvent ev) {
        ObjectNode o = JSON.objectNode();
        source(o, ev.source());
        o.put("events", ev.events());
        o.put("object", ev.object());
        if (ev.user() instanceof Number) {
            o.put("user", ((Number) ev.user()).longValue());
        } else {
            o.put("user", String.valueOf(ev.user()));
        }
        return o;
    }

    // ---- fields -----------------------------------------------------------------------------

    private static ObjectNode op(String op) {
        ObjectNode s = JSON.objectNode();
        s.put("op", op);
        return s;
    }

    private static ObjectNode onThread(String op, String thread) {
        ObjectNode s = op(op);
        s.put("thread", thread);
        return s;
    }

    private static ObjectNode call(String op, String thread, String proc) {
        ObjectNode s = onThread(op, thread);
        s.put("proc", proc);
        return s;
    }

    private static ObjectNode onObject(String op, String thread, String proc, String port, int source, long object) {
        ObjectNode s = call(op, thread, proc);
        s.put("port", port);
        source(s, source);
        s.put("object", object);
        return s;
    }

    /** A source by its PORT_SOURCE_* name, or as a number where it has none. */
    private static void source(ObjectNode s, int source) {
        String name = Ports.sourceName(source);
        if (name.startsWith("PORT_SOURCE_")) {
            s.put("source", name);
        } else {
            s.put("source", source);
        }
    }

    private static void timeout(ObjectNode s, Timespec t) {
        if (t == null) {
            s.putNull("timeout");
        } else {
            ObjectNode o = s.putObject("timeout");
            o.put("sec", t.sec());
            o.put("nsec", t.nsec());
        }
    }

    private static void pause(ObjectNode s, boolean pause) {
        if (pause) {
            s.put("pause", "delivery");
        }
    }
}
