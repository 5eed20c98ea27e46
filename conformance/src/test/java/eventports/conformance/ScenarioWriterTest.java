package eventports.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.conformance.ScenarioWriter.Timespec;
import eventports.kernel.Ports;
import eventports.kernel.Profile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link ScenarioWriter} writes, {@link Scenario} reads and {@link ScenarioRun} runs: a
 * program written with every factory is run once with no expectations — the events retrieved
 * carry what the writer's sends said — its outcomes are written back as each step's
 * {@code expect}, and the result replays as a passing scenario: the way the explorer turns
 * every run into a conformance scenario.
 */
class ScenarioWriterTest {
    private static List<ObjectNode> program() {
        Timespec zero = new Timespec(0, 0);
        return List.of(
                ScenarioWriter.portCreate("T1", "P1", "A"),
                ScenarioWriter.fdOpen("P1", "F"),
                ScenarioWriter.fork("P1", "P2"),
                ScenarioWriter.portGet("T2", "P2", "A", null, false),
                ScenarioWriter.portSend("T1", "P1", "A", 1, "u1"),
                ScenarioWriter.await("T2"),
                ScenarioWriter.portSendn("T1", "P1", List.of("A", "F", "bad:999"), 2, "u2"),
                ScenarioWriter.portDispatch("T1", "P1", "A", Ports.PORT_SOURCE_AIO, 3, 1001, "u3", true),
                ScenarioWriter.portAssociate("T1", "P1", "A", Ports.PORT_SOURCE_USER, 0, 1, "u4"),
                ScenarioWriter.portDissociate("T1", "P1", "A", Ports.PORT_SOURCE_FD, 0),
                ScenarioWriter.portGetn("T1", "P1", "A", 8, 1, zero, false),
                ScenarioWriter.portAlert("T1", "P1", "A", Ports.PORT_ALERT_SET, 5, "alert:u5"),
                ScenarioWriter.portGetn("T3", "P1", "A", 2, 1, new Timespec(1, 0), false),
                ScenarioWriter.portAlert("T1", "P1", "A", 0, 0, "alert:u6"),
                ScenarioWriter.portGet("T3", "P1", "A", new Timespec(0, 5_000_000), false),
                ScenarioWriter.advance(10),
                ScenarioWriter.await("T3"),
                ScenarioWriter.portGet("T4", "P2", "A", null, false),
                ScenarioWriter.interrupt("T4"),
                ScenarioWriter.await("T4"),
                ScenarioWriter.portGet("T4", "P2", "A", null, false),
                ScenarioWriter.expectBlocked("T4"),
                ScenarioWriter.close("T1", "P1", "F"),
                ScenarioWriter.exit("P2"));
    }

    private static ObjectNode scenario(List<ObjectNode> steps) {
        ObjectNode root = ScenarioWriter.scenario("writer-round-trip", "", Profile.ILLUMOS, 16, 8);
        ArrayNode l = root.putArray("steps");
        steps.forEach(l::add);
        return root;
    }

    @Test
    void whatTheWriterWritesReplaysWithTheOutcomesItRecorded() throws Exception {
        List<ObjectNode> steps = program();
        Scenario blank = Scenario.fromJson(scenario(steps), null);
        ScenarioRun first = new ScenarioRun(blank, Profile.ILLUMOS, null);
        List<String> retrieved = new java.util.ArrayList<>();
        int calls = 0;
        try {
            for (ObjectNode s : steps) {
                if (s.path("op").asText().equals("expect_blocked")) {
                    continue;
                }
                CallResult r = first.execute(s);
                if (r != null) {
                    assertTrue(r.kind() != CallResult.Kind.BROKEN, s + ": " + r);
                    s.set("expect", ScenarioWriter.expect(r));
                    calls++;
                    if (r.events() != null) {
                        r.events().forEach(e -> retrieved.add(Ports.sourceName(e.source()) + " " + e.events() + " "
                                + e.object() + " " + e.user()));
                    }
                }
            }
        } finally {
            first.shutdown();
        }
        assertTrue(calls >= 15, "only " + calls + " steps had an outcome");
        assertEquals(List.of("PORT_SOURCE_USER 1 0 u1", "PORT_SOURCE_USER 2 0 u2", "PORT_SOURCE_AIO 3 1001 u3",
                "PORT_SOURCE_ALERT 5 0 alert:u5"), retrieved, "the events retrieved are not those the steps sent");
        ScenarioRun.Verdict v = new ScenarioRun(Scenario.fromJson(scenario(steps), null), Profile.ILLUMOS, null).run();
        assertNull(v.failure(), "the written scenario does not replay: " + v.failure() + "\n" + scenario(steps));
    }

    @Test
    void namesAreWrittenTheWayTheFormatSpellsThem() {
        ObjectNode d = ScenarioWriter.portDispatch("T1", "P1", "A", Ports.PORT_SOURCE_MQ, 1, 7, "u", false);
        assertEquals("PORT_SOURCE_MQ", d.get("source").asText());
        assertEquals(99, ScenarioWriter.portDispatch("T1", "P1", "A", 99, 1, 7, "u", false).get("source").asInt());
        assertEquals("PORT_ALERT_UPDATE",
                ScenarioWriter.portAlert("T1", "P1", "A", Ports.PORT_ALERT_UPDATE, 1, "u").get("flags").asText());
        assertTrue(ScenarioWriter.portGet("T1", "P1", "A", null, true).get("timeout").isNull());
        assertEquals("delivery", ScenarioWriter.portGet("T1", "P1", "A", null, true).get("pause").asText());
        ObjectNode errors = ScenarioWriter.expect(new CallResult(CallResult.Kind.RETURNED, 1, null, null, null,
                new int[] {0, eventports.kernel.Errno.EBADFD.code}, true, null));
        assertEquals(JsonNodeFactory.instance.arrayNode().add(0).add("EBADFD"), errors.get("errors"));
        assertEquals("1720", ScenarioWriter.expect(new CallResult(CallResult.Kind.PANIC, 0, null, null, null, null,
                false, "port.c:1720: NULL portq_thread")).get("panic").asText());
    }
}
