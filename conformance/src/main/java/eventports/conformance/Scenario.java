package eventports.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eventports.kernel.Limits;
import eventports.kernel.Profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A conformance scenario (shared/conformance/FORMAT.md, version 1), parsed and checked for
 * shape before anything runs: every step has a known op and the fields that op needs.
 */
public record Scenario(String name, String about, List<Profile> profiles, Limits limits, List<JsonNode> steps,
                       Path file) {

    static final Set<String> CALLS = Set.of("port_create", "close", "port_send", "port_sendn", "port_dispatch",
            "port_alert", "port_get", "port_getn", "port_associate", "port_dissociate", "timer_create");
    static final Set<String> DRIVER = Set.of("fork", "exit", "advance", "interrupt", "await", "expect_blocked",
            "fd_open", "fd_ready", "fd_clear", "timer_expire");

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Scenario parse(Path file) throws ScenarioException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new ScenarioException("bad JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr());
        } catch (IOException e) {
            throw new ScenarioException("cannot read: " + e.getMessage());
        }
        return fromJson(root, file);
    }

    public static Scenario fromJson(JsonNode root, Path file) throws ScenarioException {
        if (root == null || !root.isObject()) {
            throw new ScenarioException("a scenario is a JSON object");
        }
        String fallback = file == null ? "scenario" : file.getFileName().toString().replaceFirst("\\.json$", "");
        String name = root.path("name").asText(fallback);
        String about = root.path("about").asText("");
        List<Profile> profiles = new ArrayList<>();
        try {
            if (root.has("profiles")) {
                for (JsonNode p : root.get("profiles")) {
                    profiles.add(Profile.of(p.asText()));
                }
            } else {
                profiles.add(Profile.of(root.path("profile").asText("illumos")));
            }
        } catch (IllegalArgumentException e) {
            throw new ScenarioException("unknown profile in " + root.get(root.has("profiles") ? "profiles" : "profile"));
        }
        Limits limits = Limits.ILLUMOS_DEFAULTS;
        JsonNode l = root.path("limits");
        if (l.isObject()) {
            limits = new Limits(l.path("port_max_events").asInt(limits.portMaxEvents()),
                    l.path("port_max_ids").asInt(limits.portMaxIds()),
                    l.path("port_max_list").asInt(limits.portMaxList()),
                    l.path("fd_max").asInt(limits.fdMax()));
        }
        JsonNode steps = root.path("steps");
        if (!steps.isArray()) {
            throw new ScenarioException("missing \"steps\" array");
        }
        List<JsonNode> list = new ArrayList<>();
        int k = 0;
        for (JsonNode s : steps) {
            k++;
            String op = s.path("op").asText(null);
            if (op == null) {
                throw new ScenarioException("step " + k + ": missing \"op\"");
            }
            if (!CALLS.contains(op) && !DRIVER.contains(op)) {
                throw new ScenarioException("step " + k + ": unknown op \"" + op + "\"");
            }
            boolean needsThread = CALLS.contains(op) || op.equals("await") || op.equals("interrupt")
                    || op.equals("expect_blocked");
            if (needsThread && !s.hasNonNull("thread")) {
                throw new ScenarioException("step " + k + " (" + op + "): missing \"thread\"");
            }
            list.add(s);
        }
        return new Scenario(name, about, List.copyOf(profiles), limits, List.copyOf(list), file);
    }
}
