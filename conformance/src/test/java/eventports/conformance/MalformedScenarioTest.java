package eventports.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eventports.kernel.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 D3, D7 and D14 (scenario files), one test per defect seen: a malformed scenario is
 * never coerced into one that can pass, never crashes the run, and is reported as one line
 * {@code FAIL <file>: <where>: <why>}; the other files still run and the summary line comes.
 */
class MalformedScenarioTest {
    @TempDir
    Path dir;

    private static final String CREATE = "{\"op\":\"port_create\",\"thread\":\"T1\",\"proc\":\"P1\",\"as\":\"p\"}";
    private static final String GOOD = "{\"name\":\"good\",\"profile\":\"illumos\",\"steps\":[" + CREATE
            + ",{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"p\",\"events\":1,\"user\":\"u\",\"expect\":{\"ret\":0}}]}";

    private Path file(String name, String json) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    private static String scenario(String... steps) {
        return "{\"name\":\"bad\",\"profile\":\"illumos\",\"steps\":[" + CREATE + "," + String.join(",", steps) + "]}";
    }

    /** Runs the files as the CLI does (collect, then run); returns the output, checks the summary. */
    private static String run(int passed, int failed, Path... roots) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConformanceRunner r = new ConformanceRunner(null, new PrintStream(buf, true, StandardCharsets.UTF_8), null);
        ConformanceRunner.Summary s = r.run(ConformanceRunner.collect(List.of(roots)));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.endsWith(passed + " passed, " + failed + " failed, 0 skipped\n"), "summary line missing or wrong:\n" + out);
        assertEquals(failed == 0, s.ok(), out);
        assertFalse(out.contains("Exception") || out.contains("\tat "), "a stack trace or exception:\n" + out);
        return out;
    }

    /** The output holds exactly this FAIL line start for {@code f}: the file, then where and why. */
    private static void assertFailLine(String out, Path f, String... parts) {
        String line = out.lines().filter(l -> l.startsWith("FAIL " + f + ": ")).findFirst()
                .orElseThrow(() -> new AssertionError("no 'FAIL " + f + ": ...' line in:\n" + out));
        for (String p : parts) {
            assertTrue(line.contains(p), "the FAIL line does not say '" + p + "': " + line);
        }
    }

    private void runOne(String json, String... parts) throws IOException {
        Path f = file("bad.json", json);
        assertFailLine(run(0, 1, f), f, parts);
    }

    // ---- D3, D7: coercions that let a malformed scenario pass ---------------------------------

    /** Each coercion seen, as (what it was, a step that has it, what the FAIL line must say). */
    static Stream<Arguments> coercions() {
        return Stream.of(
                Arguments.of("\"max\": \"ten\" became a count query",
                        "{\"op\":\"port_getn\",\"thread\":\"T1\",\"port\":\"p\",\"max\":\"ten\",\"nget\":0,"
                                + "\"timeout\":null,\"expect\":{\"ret\":0,\"nget\":0}}",
                        List.of("/steps/1/max (step 2, port_getn)", "integer")),
                Arguments.of("events 1e20 became 1661992959",
                        "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"p\",\"events\":100000000000000000000,"
                                + "\"user\":\"u\",\"expect\":{\"ret\":0}}",
                        List.of("/steps/1/events (step 2, port_send)", "2147483647")),
                Arguments.of("events 4294967297 became 1",
                        "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"p\",\"events\":4294967297,"
                                + "\"user\":\"u\",\"expect\":{\"ret\":0}}",
                        List.of("/steps/1/events (step 2, port_send)", "2147483647")),
                Arguments.of("a missing events became 0",
                        "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"p\",\"user\":\"u\",\"expect\":{\"ret\":0}}",
                        List.of("/steps/1 (step 2, port_send)", "'events'")),
                Arguments.of("\"timeout\": \"forever\" became a poll",
                        "{\"op\":\"port_get\",\"thread\":\"T1\",\"port\":\"p\",\"timeout\":\"forever\","
                                + "\"expect\":{\"errno\":\"ETIME\"}}",
                        List.of("/steps/1/timeout (step 2, port_get)", "\"forever\"")),
                Arguments.of("\"ret\": \"zero-or-whatever\" was compared as 0",
                        "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"p\",\"events\":1,\"user\":\"u\","
                                + "\"expect\":{\"ret\":\"zero-or-whatever\"}}",
                        List.of("/steps/1/expect/ret (step 2, port_send)", "integer")),
                Arguments.of("\"expect\": 5 was ignored",
                        "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"bad:7\",\"events\":1,\"user\":\"u\","
                                + "\"expect\":5}",
                        List.of("/steps/1/expect (step 2, port_send)", "object")));
    }

    @ParameterizedTest(name = "D3: {0}")
    @MethodSource("coercions")
    void d3ACoercedValueIsAFailNotAPass(String defect, String step, List<String> says) throws IOException {
        runOne(scenario(step), says.toArray(new String[0]));
    }

    @Test
    void d7NegativeLimitsFailTheirFileAndTheOthersStillRun() throws IOException {
        Path bad = file("a-neg.json", "{\"name\":\"neg\",\"limits\":{\"port_max_events\":-1},\"steps\":[" + CREATE + "]}");
        Path good = file("b-good.json", GOOD);
        String out = run(1, 1, bad, good);
        assertFailLine(out, bad, "/limits/port_max_events", "minimum");
        assertTrue(out.contains("PASS good [illumos]"), out);
    }

    @Test
    void d7NestingDeeperThanTheParserAllowsIsAFail() throws IOException {
        runOne("{\"steps\":" + "[".repeat(1200) + "]".repeat(1200) + "}", "bad JSON", "nesting depth");
    }

    // ---- D14: errors that named no file or reason, or stopped the other files -------------------

    @Test
    void d14BinaryFileNamesFileAndReason() throws IOException {
        Path f = dir.resolve("binary.json");
        Files.write(f, new byte[] {'{', '"', (byte) 0xA5, (byte) 0xFF, 0, 1});
        assertFailLine(run(0, 1, f), f, "not UTF-8 text", "offset 2");
    }

    @Test
    void d14DirectoryGivenAsAFileNamesItself() throws IOException {
        Path d = Files.createDirectory(dir.resolve("sub.json"));
        file("sub.json/inner.json", GOOD);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new ConformanceRunner(null, new PrintStream(buf, true, StandardCharsets.UTF_8), null).run(List.of(d));
        assertFailLine(buf.toString(StandardCharsets.UTF_8), d, "is a directory");
    }

    @Test
    void d14MissingFileIsNamedAndDoesNotStopTheOthers() throws IOException {
        Path missing = dir.resolve("nosuch.json");
        Path good = file("good.json", GOOD);
        Path missing2 = dir.resolve("nosuch2.json");
        String out = run(1, 2, missing, good, missing2);
        assertFailLine(out, missing, "no such file");
        assertFailLine(out, missing2, "no such file");
        assertTrue(out.contains("PASS good [illumos]"), out);
    }

    @Test
    void noScenarioFoundIsAnErrorNotASuccess() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertFailLine(run(0, 1, empty), empty, "no scenario file");
    }

    // ---- steps built in code (the explorer's) are read as strictly as files --------------------

    @Test
    void stepsBuiltInCodeAreNotCoercedEither() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> bad = List.of(
                "{\"op\":\"port_getn\",\"thread\":\"T1\",\"port\":\"p\",\"max\":\"ten\",\"nget\":0,\"timeout\":null}",
                "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"p\",\"events\":4294967297,\"user\":\"u\"}",
                "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"p\",\"user\":\"u\"}",
                "{\"op\":\"port_send\",\"thread\":\"T1\",\"port\":\"p\",\"events\":1,\"user\":true}",
                "{\"op\":\"port_get\",\"thread\":\"T1\",\"port\":\"p\",\"timeout\":\"forever\"}",
                "{\"op\":\"port_get\",\"thread\":\"T1\",\"port\":\"p\"}",
                "{\"op\":\"port_get\",\"thread\":\"T1\",\"port\":\"p\",\"timeout\":null,\"pause\":\"somewhere\"}",
                "{\"op\":\"port_dispatch\",\"thread\":\"T1\",\"port\":\"p\",\"source\":\"PORT_SOURCE_AIO\",\"events\":1,"
                        + "\"object\":1,\"user\":\"u\",\"noshare\":\"yes\"}",
                "{\"op\":\"port_alert\",\"thread\":\"T1\",\"port\":\"p\",\"events\":1,\"user\":\"u\"}",
                "{\"op\":\"advance\",\"ms\":1.5}");
        for (String step : bad) {
            ScenarioRun run = new ScenarioRun(Scenario.fromJson(json.readTree("{\"steps\":[]}"), null), Profile.ILLUMOS,
                    null);
            try {
                run.execute(json.readTree(CREATE));
                JsonNode s = json.readTree(step);
                ScenarioException e = assertThrows(ScenarioException.class, () -> run.execute(s),
                        "accepted a malformed step: " + step);
                assertTrue(e.getMessage().contains("\""), "the reason names no field: " + e.getMessage());
            } finally {
                run.shutdown();
            }
        }
    }
}
