package eventports.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.CoreFault;
import eventports.kernel.Layer;
import eventports.kernel.Limits;
import eventports.kernel.Profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference itself behind PROTOCOL.md: requests on a reader, replies on a stream, each
 * scenario a fresh {@link CoreTarget}. {@code ./eventports conformance --impl './eventports
 * reference-impl'} therefore replays the corpus through the protocol and the runner's child
 * handling, a self-test of both; with fewer capabilities declared it shows the SKIPs, and with a
 * core fault switched on it shows that the protocol carries every difference. It declares every
 * capability, {@code deferred_run} included: its threads run only when a step names them.
 *
 * <p>A request it cannot serve (not JSON, an unknown type, a field missing or of the wrong
 * type) gets an {@code error} reply; the server never stops on bad input, only at {@code bye}
 * or at the end of its input.
 */
public final class ProtocolServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Fields each call op needs, with their JSON kind: i = integer, s = integer or string, t = timeout,
     * a = integer list, b = boolean, p = string (a path or a file name).
     */
    private static final Map<String, String> CALL_FIELDS = Map.ofEntries(
            Map.entry("port_create", ""),
            Map.entry("exit", ""),
            Map.entry("close", "fd:i"),
            Map.entry("port_send", "fd:i events:i user:s"),
            Map.entry("port_sendn", "fds:a events:i user:s"),
            Map.entry("port_alert", "fd:i flags:i events:i user:s"),
            Map.entry("port_dispatch", "fd:i source:i events:i object:i user:s noshare:b"),
            Map.entry("port_get", "fd:i timeout:t"),
            Map.entry("port_getn", "fd:i max:i nget:i timeout:t"),
            Map.entry("port_associate", "fd:i source:i object:i events:i user:s"),
            Map.entry("port_dissociate", "fd:i source:i object:i"), Map.entry("timer_create", "fd:i user:s"),
            Map.entry("file_obj", "obj:i name:p stat:b"),
            Map.entry("file_create", "path:p"),
            Map.entry("file_write", "path:p"),
            Map.entry("file_read", "path:p"),
            Map.entry("file_setattr", "path:p attrs:i"),
            Map.entry("file_unlink", "path:p"),
            Map.entry("file_mkdir", "path:p"),
            Map.entry("file_rmdir", "path:p"),
            Map.entry("file_rename", "from:p to:p"),
            Map.entry("file_link", "from:p to:p"),
            Map.entry("fs_mount", "path:p vnevents:b"),
            Map.entry("fs_unmount", "path:p"),
            Map.entry("dup", "fd:i min:i"),
            Map.entry("dup2", "fd:i to:i"));

    private final Set<Capability> capabilities;
    private final Profile profile;
    private final Set<CoreFault> faults;
    private CoreTarget core;
    /** What steps go to: the core, or the core behind the API-level trace writer. */
    private Target target;
    /** Where this scenario's API-level trace goes at its end (PROTOCOL.md "Traces"), or null. */
    private java.nio.file.Path traceFile;
    private eventports.tracevalidation.api.ApiTraceWriter traceWriter;

    public ProtocolServer(Profile profile, Set<Capability> capabilities, Set<CoreFault> faults) {
        this.profile = profile;
        this.capabilities = capabilities;
        this.faults = faults;
    }

    /** Every capability there is: what the reference can do. */
    public static Set<Capability> all() {
        return EnumSet.allOf(Capability.class);
    }

    /** Serves until {@code bye} or the end of {@code in}. */
    public void serve(BufferedReader in, PrintStream out) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode req;
            try {
                req = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                out.println("{\"id\":null,\"error\":\"not JSON\"}");
                out.flush();
                continue;
            }
            ObjectNode reply;
            boolean bye = false;
            if (req == null || !req.isObject()) {
                reply = JSON.createObjectNode().put("error", "a request is a JSON object");
            } else {
                bye = "bye".equals(req.path("type").asText());
                reply = answer(req);
                reply.set("id", req.get("id"));
            }
            out.println(JSON.writeValueAsString(reply));
            out.flush();
            if (bye) {
                break;
            }
        }
        try {
            endScenario();
        } catch (ScenarioException e) {
            System.err.println("reference-impl: " + e.getMessage());
        }
    }

    /** Drops the scenario in progress, writing its API-level trace if one was asked for. */
    private void endScenario() throws ScenarioException {
        if (target == null) {
            return;
        }
        target.close();
        target = null;
        core = null;
        if (traceFile != null) {
            try {
                traceWriter.write(traceFile);
            } catch (IOException e) {
                throw new ScenarioException("cannot write the trace " + traceFile + ": " + e.getMessage());
            } finally {
                traceFile = null;
                traceWriter = null;
            }
        }
    }

    private ObjectNode answer(JsonNode r) {
        try {
            return handle(r);
        } catch (ScenarioException e) {
            return JSON.createObjectNode().put("error", e.getMessage());
        } catch (IllegalArgumentException e) {
            return JSON.createObjectNode().put("error", String.valueOf(e.getMessage()));
        }
    }

    private ObjectNode handle(JsonNode r) throws ScenarioException {
        String type = r.path("type").asText("");
        switch (type) {
            case "hello": {
                ObjectNode o = JSON.createObjectNode();
                o.put("type", "hello");
                o.put("protocol", 1);
                o.put("name", "eventports-reference");
                o.put("version", "0.1.0");
                o.put("profile", profile.id());
                o.put("blocking", "reported");
                capabilities.forEach(c -> o.withArray("capabilities").add(c.wire()));
                o.withArray("capabilities");
                return o;
            }
            case "begin": {
                endScenario();
                Profile p = r.hasNonNull("profile") ? Profile.of(text(r, "profile")) : profile;
                JsonNode l = r.path("limits");
                Limits d = Limits.ILLUMOS_DEFAULTS;
                Limits limits = new Limits(intOr(l, "port_max_events", d.portMaxEvents()),
                        intOr(l, "port_max_ids", d.portMaxIds()), intOr(l, "port_max_list", d.portMaxList()),
                        intOr(l, "fd_max", d.fdMax()));
                Layer layer = r.hasNonNull("layer") ? Layer.of(text(r, "layer")) : Layer.DESCRIPTORS;
                core = new CoreTarget(p, layer, limits, null);
                for (CoreFault f : faults) {
                    core.system().inject(f);
                }
                target = core;
                if (r.hasNonNull("trace")) {
                    traceFile = java.nio.file.Path.of(text(r, "trace"));
                    traceWriter = new eventports.tracevalidation.api.ApiTraceWriter("eventports-reference",
                            r.path("scenario").asText(null), limits, layer);
                    target = new ApiTracingTarget(core, traceWriter);
                }
                return ok();
            }
            case "end":
                endScenario();
                return ok();
            case "bye":
                return ok();
            default:
                break;
        }
        if (target == null) {
            throw new ScenarioException("\"" + type + "\" outside a scenario: send begin first");
        }
        switch (type) {
            case "call": {
                String op = text(r, "op");
                String fields = CALL_FIELDS.get(op);
                if (fields == null) {
                    throw new ScenarioException("unknown op \"" + op + "\"");
                }
                ObjectNode args = JSON.createObjectNode();
                for (String f : fields.isEmpty() ? new String[0] : fields.split(" ")) {
                    String name = f.substring(0, f.indexOf(':'));
                    args.set(name, field(r, name, f.charAt(f.length() - 1)));
                }
                String pause = r.hasNonNull("pause") ? text(r, "pause") : null;
                return Wire.reply(target.call(text(r, "thread"), text(r, "proc"), op, args, pause));
            }
            case "await":
                return Wire.reply(target.await(text(r, "thread")));
            case "state":
                return JSON.createObjectNode().put("state", target.state(text(r, "thread")));
            case "fork":
                target.fork(text(r, "proc"), text(r, "child"));
                return ok();
            case "advance":
                target.advance(Math.max(0, field(r, "ms", 'i').asLong()));
                return ok();
            case "interrupt":
                target.interrupt(text(r, "thread"));
                return ok();
            case "fd_open":
                return Wire.reply(target.fdOpen(text(r, "proc")));
            case "fd_ready":
                target.fdReady(text(r, "proc"), field(r, "fd", 'i').intValue(), field(r, "events", 'i').intValue());
                return ok();
            case "fd_clear":
                target.fdClear(text(r, "proc"), field(r, "fd", 'i').intValue());
                return ok();
            case "sendfd":
                return Wire.reply(target.sendfd(text(r, "proc"), field(r, "fd", 'i').intValue(), text(r, "to")));
            case "timer_expire": {
                CallResult res = target.timerExpire(text(r, "proc"), field(r, "timer", 'i').intValue());
                return res == null ? ok() : Wire.reply(res);
            }
            default:
                throw new ScenarioException("unknown request type \"" + type + "\"");
        }
    }

    private static ObjectNode ok() {
        return JSON.createObjectNode().put("ok", true);
    }

    private static String text(JsonNode r, String f) throws ScenarioException {
        JsonNode v = r.get(f);
        if (v == null || !v.isTextual()) {
            throw new ScenarioException("\"" + f + "\" must be a string");
        }
        return v.asText();
    }

    private static int intOr(JsonNode o, String f, int dflt) throws ScenarioException {
        JsonNode v = o.get(f);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw new ScenarioException("limit \"" + f + "\" must be an integer >= 0");
        }
        return v.intValue();
    }

    /** A field of the given kind (see CALL_FIELDS), or an error naming it. */
    private static JsonNode field(JsonNode r, String f, char kind) throws ScenarioException {
        JsonNode v = r.get(f);
        boolean ok;
        switch (kind) {
            case 'i': ok = v != null && v.isIntegralNumber() && v.canConvertToLong(); break;
            case 's': ok = v != null && (v.isTextual() || v.isIntegralNumber() && v.canConvertToLong()); break;
            case 'b': ok = v != null && v.isBoolean(); break;
            case 'p': ok = v != null && v.isTextual(); break;
            case 'a': ok = v != null && v.isArray(); if (ok) {
                for (JsonNode x : v) {
                    ok &= x.isIntegralNumber() && x.canConvertToInt();
                }
            }
                break;
            case 't': ok = v != null && (v.isNull() || v.isObject() && v.path("sec").isIntegralNumber()
                    && v.path("sec").canConvertToLong() && v.path("nsec").isIntegralNumber()
                    && v.path("nsec").canConvertToLong()); break;
            default: ok = false;
        }
        if (!ok) {
            throw new ScenarioException("\"" + f + "\" is missing or of the wrong type: " + v);
        }
        return v;
    }

    /**
     * {@code [--profile P] [--capabilities a,b,...] [--fault F,...]}: serve on standard input and
     * output (for tests that start the reference as a child process; the CLI has
     * {@code eventports reference-impl}).
     */
    public static void main(String[] args) throws IOException {
        Profile profile = Profile.ILLUMOS;
        Set<Capability> caps = all();
        Set<CoreFault> faults = EnumSet.noneOf(CoreFault.class);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--profile": profile = Profile.of(args[i + 1]); break;
                case "--capabilities": caps = capabilities(List.of(args[i + 1].isEmpty() ? new String[0]
                        : args[i + 1].split(","))); break;
                case "--fault":
                    for (String f : args[i + 1].split(",")) {
                        faults.add(CoreFault.valueOf(f));
                    }
                    break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                java.nio.charset.StandardCharsets.UTF_8);
        new ProtocolServer(profile, caps, faults).serve(new BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.UTF_8)), out);
        System.exit(0);
    }

    /** Capabilities from their wire names (CLI helpers). */
    public static Set<Capability> capabilities(List<String> wire) {
        Set<Capability> s = EnumSet.noneOf(Capability.class);
        for (String w : wire) {
            Capability c = Capability.of(w.trim());
            if (c == null) {
                throw new IllegalArgumentException("unknown capability \"" + w + "\"; known: "
                        + java.util.Arrays.stream(Capability.values()).map(Capability::wire)
                        .collect(java.util.stream.Collectors.joining(", ")));
            }
            s.add(c);
        }
        return s;
    }
}
