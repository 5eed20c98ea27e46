package eventports.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner's own contract (FORMAT.md "Result"): a file that does not parse, names an unknown
 * op or descriptor, asks a busy thread to make a call, or expects the wrong thing is a FAIL
 * with a reason — never a crash or a hang — and the summary line counts it.
 */
class ConformanceRunnerTest {
    @TempDir
    Path dir;

    private String run(String json) throws IOException {
        Path f = dir.resolve("s.json");
        Files.writeString(f, json);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConformanceRunner r = new ConformanceRunner(null, new PrintStream(buf, true, StandardCharsets.UTF_8), null);
        r.run(List.of(f));
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static final String CREATE = "{\"op\":\"port_create\",\"thread\":\"T1\",\"proc\":\"P1\",\"as\":\"p\"}";

    private static String scenario(String... steps) {
        return "{\"name\":\"s\",\"profile\":\"illumos\",\"steps\":[" + String.join(",", steps) + "]}";
    }

    /** A FAIL line for s.json: by the scenario's name for a run, by the file for a file that is not a valid scenario. */
    private void assertFail(String out, String reason) {
        assertTrue(out.startsWith("FAIL s [") || out.startsWith("FAIL " + dir.resolve("s.json") + ": "),
                "expected a FAIL line, got: " + out);
        assertTrue(out.contains(reason), "expected the reason to mention '" + reason + "', got: " + out);
        assertTrue(out.contains("0 passed, 1 failed"), "summary must count the failure: " + out);
    }

    @Test
    void badJsonIsAFailWithTheParserMessage() throws IOException {
        assertFail(run("{\"name\": \"s\", \"steps\": [ {\"op\": }"), "bad JSON");
    }

    @Test
    void unknownOpIsAFail() throws IOException {
        assertFail(run(scenario(CREATE, "{\"op\":\"port_frobnicate\",\"thread\":\"T1\"}")), "/steps/1/op (step 2, port_frobnicate): does not have a value in the enumeration");
    }

    @Test
    void unknownDescriptorIsAFail() throws IOException {
        assertFail(run(scenario(CREATE,
                "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"nosuch\",\"events\":1,\"user\":\"u\"}")),
                "unknown descriptor \"nosuch\"");
    }

    @Test
    void callFromABusyThreadIsAFail() throws IOException {
        String get = "{\"op\":\"port_get\",\"thread\":\"T2\",\"proc\":\"P1\",\"port\":\"p\",\"timeout\":null,"
                + "\"expect\":{\"blocks\":true}}";
        String again = "{\"op\":\"port_send\",\"thread\":\"T2\",\"port\":\"p\",\"events\":1,\"user\":\"u\"}";
        assertFail(run(scenario(CREATE, get, again)), "thread T2 is busy");
    }

    @Test
    void wrongExpectationIsAFailNamingStepAndValues() throws IOException {
        String send = "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"p\",\"events\":1,\"user\":\"u\"}";
        String get = "{\"op\":\"port_get\",\"thread\":\"T1\",\"port\":\"p\",\"timeout\":{\"sec\":0,\"nsec\":0},"
                + "\"expect\":{\"ret\":0,\"events\":[{\"source\":\"PORT_SOURCE_USER\",\"events\":2,\"user\":\"u\"}]}}";
        String out = run(scenario(CREATE, send, get));
        assertFail(out, "step 3 (port_get): expected");
        assertTrue(out.contains("event 0 events"), out);
    }

    @Test
    void expectingABlockThatDoesNotHappenIsAFail() throws IOException {
        String send = "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"p\",\"events\":1,\"user\":\"u\"}";
        String get = "{\"op\":\"port_get\",\"thread\":\"T1\",\"port\":\"p\",\"timeout\":null,\"expect\":{\"blocks\":true}}";
        assertFail(run(scenario(CREATE, send, get)), "got ret 0");
    }

    @Test
    void sourceOpsOnTheWrongObjectFailClearly() throws IOException {
        assertFail(run(scenario(CREATE, "{\"op\":\"fd_ready\",\"fd\":\"p\",\"events\":\"POLLIN\"}")),
                "\"p\" is not an fd_open object");
        assertFail(run(scenario(CREATE, "{\"op\":\"timer_expire\",\"timer\":\"t\"}")), "unknown timer \"t\"");
    }

    @Test
    void passingScenarioPrintsPassAndCounts() throws IOException {
        String send = "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"p\",\"events\":1,\"user\":\"u\",\"expect\":{\"ret\":0}}";
        String out = run(scenario(CREATE, send));
        assertTrue(out.startsWith("PASS s [illumos]"), out);
        assertTrue(out.contains("1 passed, 0 failed"), out);
    }

    @Test
    void profileFilterSkipsOtherProfilesWithoutCounting() throws IOException {
        Path f = dir.resolve("s.json");
        Files.writeString(f, scenario(CREATE));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConformanceRunner.Summary s = new ConformanceRunner(eventports.kernel.Profile.CORRECTED,
                new PrintStream(buf, true, StandardCharsets.UTF_8), null).run(List.of(f));
        assertEquals(0, s.passed() + s.failed(), buf.toString(StandardCharsets.UTF_8));
    }
}
