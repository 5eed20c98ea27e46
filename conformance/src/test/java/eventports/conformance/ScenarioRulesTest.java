package eventports.conformance;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules a JSON Schema cannot state, which {@link Scenario} checks before a run (FORMAT.md
 * "Rules beyond the schema"): each scenario here satisfies the schema and breaks one of them,
 * and parsing it fails with the pointer and the rule. Several of them would otherwise pass
 * without asserting anything (an "errors": null on a call that never writes an errors array).
 */
class ScenarioRulesTest {
    @TempDir
    Path dir;

    private static final String CREATE = "{\"op\":\"port_create\",\"thread\":\"T1\",\"proc\":\"P1\",\"as\":\"p\"}";
    private static final String SEND = "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"p\",\"events\":1,\"user\":\"u\"";

    private static String steps(String... steps) {
        return "{\"profile\":\"illumos\",\"steps\":[" + CREATE + "," + String.join(",", steps) + "]}";
    }

    private static String send(String expect) {
        return SEND + ",\"expect\":" + expect + "}";
    }

    private static String getn(int max, String expect) {
        return "{\"op\":\"port_getn\",\"thread\":\"T1\",\"port\":\"p\",\"max\":" + max + ",\"nget\":0,"
                + "\"timeout\":null,\"expect\":" + expect + "}";
    }

    private static final String TWO_EVENTS = "[{\"user\":\"a\"},{\"user\":\"b\"}]";

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("{\"profile\":\"illumos\",\"profiles\":[\"corrected\"],\"steps\":[]}",
                        "/profiles: give \"profile\" or \"profiles\", not both"),
                // expectations that contradict themselves or their op
                Arguments.of(steps(send("{\"ret\":0,\"errno\":\"EBADF\"}")), "/steps/1/expect (step 2, port_send): \"ret\" and \"errno\""),
                Arguments.of(steps(send("{\"blocks\":true,\"ret\":0}")), "/steps/1/expect (step 2, port_send): \"blocks\" with \"ret\""),
                Arguments.of(steps(send("{\"panic\":\"1720\",\"errno\":\"EBADF\"}")), "\"panic\" with \"errno\""),
                Arguments.of(steps(send("{\"blocks\":true,\"paused\":true}")), "not two of these"),
                Arguments.of(steps(send("{\"ret\":0,\"nget\":1}")), "\"nget\" on port_send"),
                Arguments.of(steps(send("{\"ret\":0,\"events\":[]}")), "\"events\" on port_send"),
                Arguments.of(steps(send("{\"ret\":0,\"errors\":null}")), "\"errors\" on port_send"),
                Arguments.of(steps("{\"op\":\"port_get\",\"thread\":\"T1\",\"port\":\"p\",\"timeout\":null,"
                        + "\"expect\":{\"paused\":true}}"), "\"paused\": true without \"pause\""),
                Arguments.of(steps("{\"op\":\"port_get\",\"thread\":\"T1\",\"port\":\"p\",\"timeout\":null,"
                        + "\"expect\":{\"ret\":0,\"events\":" + TWO_EVENTS + "}}"), "port_get writes at most 1"),
                Arguments.of(steps(getn(1, "{\"ret\":0,\"events\":" + TWO_EVENTS + "}")), "port_getn writes at most 1"),
                Arguments.of(steps(getn(0, "{\"ret\":0,\"events\":[{\"user\":\"a\"}]}")), "a count query (max 0) writes none"),
                // names
                Arguments.of(steps(SEND.replace("\"port\":\"p\"", "\"port\":\"q\"") + "}"),
                        "/steps/1/port (step 2, port_send): unknown descriptor \"q\""),
                Arguments.of(steps("{\"op\":\"port_sendn\",\"thread\":\"T1\",\"ports\":[\"p\",\"q\"],\"events\":1,\"user\":\"u\"}"),
                        "/steps/1/ports/1 (step 2, port_sendn): unknown descriptor \"q\""),
                Arguments.of(steps("{\"op\":\"port_associate\",\"thread\":\"T1\",\"port\":\"p\",\"source\":\"PORT_SOURCE_FD\","
                        + "\"object\":\"f\",\"events\":1,\"user\":\"u\"}"), "/steps/1/object (step 2, port_associate): unknown descriptor"),
                Arguments.of(steps("{\"op\":\"fd_ready\",\"fd\":\"p\",\"events\":\"POLLIN\"}"),
                        "/steps/1/fd (step 2, fd_ready): \"p\" is not an fd_open object"),
                Arguments.of(steps("{\"op\":\"timer_expire\",\"timer\":\"t\"}"), "/steps/1/timer (step 2, timer_expire): unknown timer \"t\""),
                Arguments.of(steps(SEND.replace("T1", "T9") + "}"),
                        "/steps/1/proc (step 2, port_send): thread \"T9\" makes its first call here and must name its process"),
                Arguments.of(steps(SEND + ",\"proc\":\"P2\"}"), "thread \"T1\" belongs to \"P1\", not \"P2\""),
                Arguments.of(steps("{\"op\":\"await\",\"thread\":\"T9\"}"), "/steps/1/thread (step 2, await): thread \"T9\" has made no call"),
                Arguments.of(steps("{\"op\":\"interrupt\",\"thread\":\"T9\"}"), "thread \"T9\" has made no call"),
                Arguments.of(steps("{\"op\":\"fork\",\"proc\":\"P1\",\"child\":\"P1\"}"), "/steps/1/child (step 2, fork): process \"P1\" already exists"),
                Arguments.of(steps("{\"op\":\"port_get\",\"thread\":\"T1\",\"port\":\"p\",\"timeout\":null,"
                        + "\"expect\":{\"ret\":0,\"events\":[{\"object\":\"nosuch\"}]}}"), "/steps/1/expect/events/0/object"),
                // the text itself
                Arguments.of("{\"steps\":[],\"steps\":[]}", "bad JSON at line 1"),
                Arguments.of("{\"steps\":[]} {}", "bad JSON"),
                Arguments.of("", "empty"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("broken")
    void aBrokenRuleIsAParseErrorNamingWhereAndWhy(String json, String reason) throws IOException {
        Path f = dir.resolve("s.json");
        Files.writeString(f, json);
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.parse(f), "parsed: " + json);
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
