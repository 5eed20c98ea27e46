package eventports.mutation;

import eventports.conformance.Scenario;
import eventports.kernel.Profile;
import eventports.trace.Action;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The traced sample exercises the whole declared record vocabulary: every action of
 * eventports.trace.Action and every field it declares appears in some record of
 * TracedSample.SAMPLE's runs, and so does every value FORMAT.md documents for a field that
 * names a path (PATH_VALUES), except what OUT_OF_REACH names (with the reason). The
 * expectation is the declaration and the documentation, not a run's output, so a mutant that
 * leaves out every record of an action, or the only branch that writes a field or a path's
 * value, fails here even when TLC accepts the trace without it (a record of a step that changes
 * no state the spec holds, such as a port_getn that returns EINVAL at once). One of PIT's tests.
 */
class SampleVocabularyTest {
    /** Actions and fields (action.field) no corpus scenario emits, with the reason. */
    static final Map<String, String> OUT_OF_REACH = Map.ofEntries(
            Map.entry("aiorw", "the AIO source runs on real threads only (AioSourceTest, DoctoredAioTraceTest)"),
            Map.entry("aio_done", "the AIO source runs on real threads only"),
            Map.entry("aio_close_port", "the AIO source runs on real threads only"),
            Map.entry("timer_delete", "the scenario format has no timer_delete"),
            Map.entry("port_free_event.marked_free", "a source freeing its slot while the event is queued or in a "
                    + "retriever's hands (AIO, or a real-thread race): no scenario reaches it; QueuedSlotPathsTest does"),
            Map.entry("port_send_event.already_queued", "a source sending a slot that is still queued: the FD and "
                    + "timer sources check PORT_KEV_DONEQ first, so only a race on real threads gets there; "
                    + "QueuedSlotPathsTest calls port_send_event twice"));

    /**
     * Fields whose value names the path a record was written on, with the values FORMAT.md
     * documents: port_getn's {@code next} is the only mark of a call that returns before any
     * step (EINVAL, nget0), so its record is the trace's only sign of the call.
     */
    static final Map<String, List<String>> PATH_VALUES = Map.of(
            "port_getn.next", List.of("queue", "nowait", "EBADFD", "ALERT", "EINVAL_TIMEOUT", "count", "count_wait",
                    "EINVAL", "nget0"));

    static final Path FORMAT = Path.of(System.getProperty("eventports.format", "../trace-validation/FORMAT.md"));

    @Test
    void theSampleEmitsEveryDeclaredActionFieldAndPathValue() throws Exception {
        // action → its fields' values, over every record of the sample's runs
        Map<String, Map<String, Set<String>>> seen = new TreeMap<>();
        for (String name : TracedSample.SAMPLE) {
            Scenario sc = Scenario.parse(TracedSample.CORPUS.resolve(name + ".json"));
            for (Profile p : sc.profiles()) {
                for (TraceRecord r : TracedSample.traced(sc, p)) {
                    Map<String, Set<String>> fields = seen.computeIfAbsent(r.action(), a -> new TreeMap<>());
                    r.fields().forEach((k, v) -> fields.computeIfAbsent(k, x -> new TreeSet<>()).add(String.valueOf(v)));
                }
            }
        }
        Set<String> missing = new TreeSet<>();
        Set<String> reached = new TreeSet<>();
        for (Action a : Action.values()) {
            check(a.id(), seen.containsKey(a.id()), missing, reached);
            for (String f : a.fields()) {
                check(a.id() + "." + f, seen.getOrDefault(a.id(), Map.of()).containsKey(f), missing, reached);
            }
        }
        assertTrue(missing.isEmpty(), "declared but not emitted by the sample: " + missing);
        assertTrue(reached.isEmpty(), "emitted by the sample, so no longer out of reach: " + reached);
        assertTrue(OUT_OF_REACH.keySet().stream().allMatch(k -> Action.of(action(k)) != null),
                "OUT_OF_REACH names an undeclared action: " + OUT_OF_REACH.keySet());

        List<String> format = Files.readAllLines(FORMAT);
        for (Map.Entry<String, List<String>> e : PATH_VALUES.entrySet()) {
            String action = action(e.getKey());
            String row = format.stream().filter(l -> l.startsWith("| `" + action + "` |")).findFirst().orElse("");
            Set<String> values = seen.getOrDefault(action, Map.of()).getOrDefault(e.getKey().substring(action.length() + 1), Set.of());
            for (String v : e.getValue()) {
                assertTrue(row.contains("`" + v + "`"), "FORMAT.md's " + action + " row does not document " + v);
                assertTrue(values.contains(v), e.getKey() + " = " + v + " is never emitted by the sample");
            }
        }
    }

    private static String action(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    private static void check(String name, boolean emitted, Set<String> missing, Set<String> reached) {
        boolean excused = OUT_OF_REACH.containsKey(name) || OUT_OF_REACH.containsKey(action(name));
        if (!emitted && !excused) {
            missing.add(name);
        } else if (emitted && OUT_OF_REACH.containsKey(name)) {
            reached.add(name);
        }
    }
}
