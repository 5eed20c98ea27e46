package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import eventports.kernel.Layer;
import eventports.kernel.Limits;
import eventports.kernel.Profile;
import eventports.sched.DetSched;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The capabilities a scenario needs (PROTOCOL.md "Capabilities"), each with the first step
 * that needs it. Most come from the steps alone. Two depend on what the steps do, so they are
 * read off a replay on the reference (the Java core, deterministic runtime): which threads each
 * step wakes. {@code wakeup_order}: a step wakes some but not all of two or more threads asleep
 * in port_get/port_getn on one port (a close or exit is left out: every waiter leaves it with
 * EBADFD in turn, whichever goes first). {@code deferred_run}: a step other than the await of
 * the one woken thread runs while a woken thread has not run yet, or two are woken at once —
 * on real threads the woken thread would already have run.
 */
public final class Needs {
    private Needs() {
    }

    /** Capability → why ("step 4 (port_sendn)"), in declaration order. */
    public static Map<Capability, String> of(Scenario sc, Profile profile) {
        Map<Capability, String> need = new EnumMap<>(Capability.class);
        fromSteps(sc, need);
        fromReplay(sc, profile, need);
        return need;
    }

    private static void fromSteps(Scenario sc, Map<Capability, String> need) {
        if (!sc.limits().equals(Limits.ILLUMOS_DEFAULTS)) {
            need.put(Capability.LIMITS, "limits " + sc.limits());
        }
        if (sc.layer() == Layer.PORTFS) {
            need.put(Capability.PORTFS_LAYER, "\"layer\": \"portfs\"");
        }
        Set<String> procs = new HashSet<>();
        Set<String> ports = new HashSet<>();
        int k = 0;
        for (JsonNode s : sc.steps()) {
            k++;
            String op = s.path("op").asText();
            String at = "step " + k + " (" + op + ")";
            if (s.hasNonNull("proc")) {
                procs.add(s.get("proc").asText());
                if (procs.size() > 1) {
                    need.putIfAbsent(Capability.PROCESSES, at + " names a second process");
                }
            }
            switch (op) {
                case "port_sendn": need.putIfAbsent(Capability.SENDN, at); break;
                case "port_alert": need.putIfAbsent(Capability.ALERT, at); break;
                case "port_dispatch": need.putIfAbsent(Capability.DISPATCH, at); break;
                case "fork": case "exit": need.putIfAbsent(Capability.PROCESSES, at); break;
                case "advance": need.putIfAbsent(Capability.VIRTUAL_TIME, at); break;
                case "interrupt": need.putIfAbsent(Capability.SIGNALS, at); break;
                case "port_associate": case "port_dissociate":
                    if (isFileSource(s.path("source"))) {
                        need.putIfAbsent(Capability.FILE, at);
                        break;
                    }
                    need.putIfAbsent(Capability.FD, at);
                    if (ports.contains(s.path("object").asText(""))) {
                        need.putIfAbsent(Capability.PORT_POLL, at + " watches a port's descriptor");
                    }
                    break;
                case "fd_open": case "fd_ready": case "fd_clear":
                    need.putIfAbsent(Capability.FD, at);
                    break;
                case "port_create":
                    ports.add(s.path("as").asText());
                    break;
                case "timer_create": case "timer_expire": need.putIfAbsent(Capability.TIMER, at); break;
                case "file_obj": case "file_create": case "file_write": case "file_read": case "file_setattr":
                case "file_unlink": case "file_mkdir": case "file_rmdir": case "file_rename": case "file_link":
                case "fs_mount": case "fs_unmount":
                    need.putIfAbsent(Capability.FILE, at);
                    break;
                case "dup": case "dup2": need.putIfAbsent(Capability.DESCRIPTORS, at); break;
                case "sendfd":
                    need.putIfAbsent(Capability.DESCRIPTORS, at);
                    need.putIfAbsent(Capability.PROCESSES, at);
                    break;
                default: break;
            }
            JsonNode to = s.get("timeout");
            if (to != null && to.isObject() && to.path("sec").asLong(0) >= 0 && to.path("nsec").asLong(0) >= 0
                    && to.path("nsec").asLong(0) < 1_000_000_000L
                    && (to.path("sec").asLong(0) > 0 || to.path("nsec").asLong(0) > 0)) {
                need.putIfAbsent(Capability.VIRTUAL_TIME, at + " has a positive timeout");
            }
            if (s.hasNonNull("pause")) {
                need.putIfAbsent(Capability.PAUSE, at);
            }
            if (s.path("expect").has("panic")) {
                need.putIfAbsent(Capability.SEED_CRASH, at + " expects the seed's crash");
            }
        }
    }

    private static boolean isFileSource(JsonNode source) {
        return source.isTextual() ? source.textValue().equals("PORT_SOURCE_FILE")
                : source.asInt(-1) == eventports.kernel.Ports.PORT_SOURCE_FILE;
    }

    private static void fromReplay(Scenario sc, Profile profile, Map<Capability, String> need) {
        ScenarioRun run = new ScenarioRun(sc, profile, null);
        DetSched sched = run.sched();
        /** thread → the port name its port_get/port_getn in progress waits on */
        Map<String, String> getterPort = new HashMap<>();
        int k = 0;
        try {
            for (JsonNode s : sc.steps()) {
                k++;
                String op = s.path("op").asText();
                if (op.equals("expect_blocked")) {
                    continue;
                }
                String at = "step " + k + " (" + op + ")";
                List<String> woken = runnable(sched);
                if (!woken.isEmpty()) {
                    boolean awaitsTheOne = op.equals("await") && woken.size() == 1
                            && woken.get(0).equals(s.path("thread").asText());
                    if (!awaitsTheOne) {
                        need.putIfAbsent(Capability.DEFERRED_RUN, at + " while " + String.join(", ", woken)
                                + (woken.size() == 1 ? " is" : " are") + " woken and not yet run");
                    }
                }
                Map<String, List<String>> asleep = asleepByPort(sched, getterPort);
                CallResult r = run.execute(s);
                String thread = s.path("thread").asText(null);
                if (thread != null && r != null) {
                    boolean inProgress = r.kind() == CallResult.Kind.BLOCKED || r.kind() == CallResult.Kind.PAUSED;
                    if (!inProgress) {
                        getterPort.remove(thread);
                    } else if (op.equals("port_get") || op.equals("port_getn")) {
                        getterPort.put(thread, s.path("port").asText());
                    }
                }
                if (op.equals("close") || op.equals("exit")) {
                    continue;
                }
                for (Map.Entry<String, List<String>> e : asleep.entrySet()) {
                    List<String> sleepers = e.getValue();
                    int nowWoken = 0;
                    for (String t : sleepers) {
                        DetSched.SimThread st = sched.find(t);
                        if (st != null && "woken".equals(st.pending())) {
                            nowWoken++;
                        }
                    }
                    if (sleepers.size() >= 2 && nowWoken > 0 && nowWoken < sleepers.size()) {
                        need.putIfAbsent(Capability.WAKEUP_ORDER, at + " wakes " + nowWoken + " of the "
                                + sleepers.size() + " waiters on " + e.getKey());
                    }
                }
            }
        } catch (ScenarioException | RuntimeException e) {
            // a scenario the reference cannot replay fails on its own; its needs are the static ones
        } finally {
            run.shutdown();
        }
    }

    /** Threads that are blocked with something pending (woken, timed out, interrupted), not paused. */
    private static List<String> runnable(DetSched sched) {
        List<String> out = new ArrayList<>();
        for (DetSched.SimThread t : sched.threads()) {
            if (t.state() == DetSched.State.BLOCKED && t.runnable()) {
                out.add(t.name());
            }
        }
        return out;
    }

    private static Map<String, List<String>> asleepByPort(DetSched sched, Map<String, String> getterPort) {
        Map<String, List<String>> byPort = new HashMap<>();
        for (Map.Entry<String, String> e : getterPort.entrySet()) {
            DetSched.SimThread t = sched.find(e.getKey());
            if (t != null && t.state() == DetSched.State.BLOCKED && !t.runnable()) {
                byPort.computeIfAbsent(e.getValue(), x -> new ArrayList<>()).add(e.getKey());
            }
        }
        return byPort;
    }
}
