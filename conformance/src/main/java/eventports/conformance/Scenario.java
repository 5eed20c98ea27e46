package eventports.conformance;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eventports.kernel.Layer;
import eventports.kernel.Limits;
import eventports.kernel.Profile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A conformance scenario (conformance/FORMAT.md, version 1), read and checked before anything
 * runs. Reading is strict: the file must be UTF-8 JSON with no duplicate keys and nothing after
 * the object; it must satisfy conformance/scenario.schema.json ({@link ScenarioSchema}); and it
 * must keep the rules the schema cannot state: names are bound before they are used, a thread
 * stays in its process, an expectation can hold for its op ({@link Expect#contradiction}).
 * Every failure is a {@link ScenarioException} whose one-line message names the JSON pointer of
 * the offending value (and the step number and op, for a step) and the rule it breaks.
 */
public record Scenario(String name, String about, List<Profile> profiles, Limits limits, List<JsonNode> steps,
                       Path file, Layer layer) {

    /** The format version this runner reads; a file without "format" is version 1. */
    public static final int FORMAT = 1;

    static final Set<String> CALLS = Set.of("port_create", "close", "port_send", "port_sendn", "port_dispatch",
            "port_alert", "port_get", "port_getn", "port_associate", "port_dissociate", "timer_create",
            // PORT_SOURCE_FILE: a file_obj in the caller's memory, and the simulated file system's calls
            "file_obj",
            "file_create",
            "file_write",
            "file_read",
            "file_setattr",
            "file_unlink",
            "file_mkdir",
            "file_rmdir",
            "file_rename",
            "file_link",
            "fs_mount",
            "fs_unmount",
            "dup",
            "dup2");
    static final Set<String> DRIVER = Set.of("fork", "exit", "advance", "interrupt", "await", "expect_blocked",
            "fd_open", "fd_ready", "fd_clear", "timer_expire", "sendfd");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public static Scenario parse(Path file) throws ScenarioException {
        JsonNode root;
        try {
            root = JSON.readTree(text(file));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ScenarioException("bad JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + ": " + oneLine(e.getOriginalMessage()));
        }
        return fromJson(root, file);
    }

    /** The file's text: UTF-8, or a reason naming what is wrong with it. */
    private static String text(Path file) throws ScenarioException {
        if (Files.isDirectory(file)) {
            throw new ScenarioException(hasScenarios(file) ? "is a directory, not a scenario file"
                    : "no scenario file (*.json) in this directory");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ScenarioException("no such file");
        } catch (AccessDeniedException e) {
            throw new ScenarioException("permission denied");
        } catch (IOException e) {
            throw new ScenarioException("cannot read: " + oneLine(String.valueOf(e.getMessage())));
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = utf8.decode(in, out, true);
        if (r.isError()) {
            throw new ScenarioException("not UTF-8 text: invalid byte 0x"
                    + String.format("%02x", bytes[in.position()] & 0xff) + " at offset " + in.position());
        }
        utf8.flush(out);
        return out.flip().toString();
    }

    private static boolean hasScenarios(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(p -> p.toString().endsWith(".json") && Files.isRegularFile(p));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ");
    }

    public static Scenario fromJson(JsonNode root, Path file) throws ScenarioException {
        try {
            return read(root, file);
        } catch (RuntimeException e) {
            // a fault of the reader or the schema library, never a stack trace instead of a FAIL line
            throw new ScenarioException("cannot read the scenario: " + oneLine(e.toString()));
        }
    }

    private static Scenario read(JsonNode root, Path file) throws ScenarioException {
        if (root == null || root.isMissingNode()) {
            throw new ScenarioException("empty: a scenario is a JSON object");
        }
        List<String> violations = ScenarioSchema.violations(root);
        if (!violations.isEmpty()) {
            throw new ScenarioException(stepOf(root, violations.get(0))
                    + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""));
        }
        String fallback = file == null ? "scenario" : file.getFileName().toString().replaceFirst("\\.json$", "");
        String name = Names.optionalString(root, "name");
        JsonNode about = root.path("about"); // any string, "" included (the schema checked the type)
        if (root.has("profile") && root.has("profiles")) {
            throw new ScenarioException("/profiles: give \"profile\" or \"profiles\", not both");
        }
        List<Profile> profiles = new ArrayList<>();
        for (JsonNode p : root.has("profiles") ? root.get("profiles") : List.of(root.path("profile"))) {
            profiles.add(p.isMissingNode() ? Profile.ILLUMOS : Profile.of(p.textValue()));
        }
        List<JsonNode> steps = new ArrayList<>();
        root.get("steps").forEach(steps::add);
        new NameCheck().run(steps);
        // "layer": the schema allows only the two names; absent is stock illumos
        Layer layer = root.has("layer") ? Layer.of(root.get("layer").textValue()) : Layer.DESCRIPTORS;
        return new Scenario(name == null ? fallback : name, about.isTextual() ? about.textValue() : "", List.copyOf(profiles),
                limits(root.path("limits")), List.copyOf(steps), file, layer);
    }

    /** The limits object; a missing key takes the illumos default. */
    private static Limits limits(JsonNode l) throws ScenarioException {
        Limits d = Limits.ILLUMOS_DEFAULTS;
        if (l.isMissingNode()) {
            return d;
        }
        return new Limits(limit(l, "port_max_events", d.portMaxEvents()), limit(l, "port_max_ids", d.portMaxIds()),
                limit(l, "port_max_list", d.portMaxList()), limit(l, "fd_max", d.fdMax()));
    }

    private static int limit(JsonNode limits, String key, int dflt) throws ScenarioException {
        JsonNode v = limits.get(key);
        return v == null ? dflt : (int) Names.integer(v, key, 0, Integer.MAX_VALUE);
    }

    /** "/steps/3/max" becomes "/steps/3/max (step 4, port_getn)": the pointer, and the step as the runner counts. */
    private static String stepOf(JsonNode root, String violation) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^/steps/(\\d+)[/:]").matcher(violation);
        if (!m.find()) {
            return violation;
        }
        int i = Integer.parseInt(m.group(1));
        JsonNode op = root.path("steps").path(i).path("op");
        int colon = violation.indexOf(": ");
        return violation.substring(0, colon) + " (step " + (i + 1) + (op.isTextual() ? ", " + op.textValue() : "")
                + ")" + violation.substring(colon);
    }

    /**
     * The rules about names that a schema cannot state, checked in step order before the run:
     * a descriptor, timer or pollable object is used only after a step bound it with "as"
     * ("bad:n" is a raw number, never bound); a thread's first call names its process and later
     * steps keep it; await, interrupt and expect_blocked name a thread that has made a call; a
     * forked child is a new process; and every expectation can hold for its op.
     */
    private static final class NameCheck {
        private final Set<String> descriptors = new HashSet<>();
        private final Set<String> pollables = new HashSet<>();
        private final Set<String> timers = new HashSet<>();
        private final Set<String> fileObjs = new HashSet<>();
        private final Set<String> procs = new HashSet<>();
        private final Map<String, String> threadProc = new HashMap<>();
        private int index;
        private String op;

        void run(List<JsonNode> steps) throws ScenarioException {
            for (JsonNode s : steps) {
                op = Names.string(s, "op");
                step(s);
                String c = Expect.contradiction(s, op);
                if (c != null) {
                    throw error("expect", c);
                }
                index++;
            }
        }

        private void step(JsonNode s) throws ScenarioException {
            String proc = Names.optionalString(s, "proc");
            if (proc != null) {
                procs.add(proc);
            }
            switch (op) {
                case "fork": {
                    String child = Names.string(s, "child");
                    if (!procs.add(child)) {
                        throw error("child", "process \"" + child + "\" already exists");
                    }
                    return;
                }
                case "fd_open":
                    descriptors.add(Names.string(s, "as"));
                    pollables.add(Names.string(s, "as"));
                    break;
                case "sendfd":
                    descriptor(s.get("fd"), "fd");
                    procs.add(Names.string(s, "to"));
                    descriptors.add(Names.string(s, "as"));
                    break;
                case "exit":
                    // an exit that waits for the process's threads is awaited as "<proc>#exit"
                    threadProc.putIfAbsent(proc + "#exit", proc);
                    break;
                case "fd_ready":
                case "fd_clear":
                    if (!pollables.contains(Names.string(s, "fd"))) {
                        throw error("fd", "\"" + s.get("fd").textValue() + "\" is not an fd_open object");
                    }
                    break;
                case "timer_expire":
                    if (!timers.contains(Names.string(s, "timer"))) {
                        throw error("timer", "unknown timer \"" + s.get("timer").textValue() + "\"");
                    }
                    break;
                case "await":
                case "interrupt":
                case "expect_blocked": {
                    String t = Names.string(s, "thread");
                    if (!threadProc.containsKey(t)) {
                        throw error("thread", "thread \"" + t + "\" has made no call before this step");
                    }
                    break;
                }
                default:
                    break;
            }
            if (CALLS.contains(op)) {
                call(s, proc);
            }
            JsonNode expect = s.get("expect");
            if (expect != null && expect.has("events")) {
                int i = 0;
                for (JsonNode e : expect.get("events")) {
                    JsonNode o = e.get("object");
                    if (o != null && o.isTextual() && !descriptors.contains(o.textValue())
                            && !fileObjs.contains(o.textValue())) {
                        throw error("expect/events/" + i + "/object", "\"" + o.textValue()
                                + "\" is not a descriptor or file_obj bound by an earlier step");
                    }
                    i++;
                }
            }
        }

        private void call(JsonNode s, String proc) throws ScenarioException {
            String t = Names.string(s, "thread");
            String bound = threadProc.get(t);
            if (bound == null && proc == null) {
                throw error("proc", "thread \"" + t + "\" makes its first call here and must name its process");
            }
            if (bound != null && proc != null && !bound.equals(proc)) {
                throw error("proc", "thread \"" + t + "\" belongs to \"" + bound + "\", not \"" + proc + "\"");
            }
            if (bound == null) {
                threadProc.put(t, proc);
            }
            for (String f : List.of("port", "fd", "object", "to")) {
                boolean fileObj = f.equals("object") && s.get(f) != null && fileObjs.contains(s.get(f).asText());
                boolean path = f.equals("to") && op.startsWith("file_");          // file_rename / file_link
                if (s.has(f) && !(op.equals("port_dispatch") && f.equals("object")) && !fileObj && !path) {
                    descriptor(s.get(f), f);
                }
            }
            if (s.has("ports")) {
                int i = 0;
                for (JsonNode p : s.get("ports")) {
                    descriptor(p, "ports/" + i++);
                }
            }
            if (s.has("as")) {
                (op.equals("timer_create") ? timers : op.equals("file_obj") ? fileObjs : descriptors)
                        .add(Names.string(s, "as"));
            }
        }

        private void descriptor(JsonNode v, String field) throws ScenarioException {
            if (v.isTextual() && !v.textValue().startsWith("bad:") && !descriptors.contains(v.textValue())) {
                throw error(field, "unknown descriptor \"" + v.textValue() + "\" (no earlier step binds it with \"as\")");
            }
        }

        private ScenarioException error(String field, String rule) {
            return new ScenarioException("/steps/" + index + "/" + field + " (step " + (index + 1) + ", " + op + "): "
                    + rule);
        }
    }
}
