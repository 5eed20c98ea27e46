package eventports.conformance;

import eventports.kernel.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md end to end: the reference itself behind the protocol ({@link ProtocolServer} in a
 * child JVM) must give the in-process verdicts on the whole corpus; fewer declared capabilities
 * give exactly the SKIPs the scenarios' needs say; a core fault behind the protocol is caught;
 * and every way a child can misbehave ends in a one-line error naming the scenario and the step,
 * with the child's standard error, no hang, and its whole process group killed.
 */
class ImplProtocolTest {
    static final Path CORPUS = Path.of("scenarios");

    @TempDir
    Path dir;

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The command that starts the reference server with the test's classpath. */
    static String reference(String... args) {
        return "'" + java() + "' -cp '" + System.getProperty("java.class.path") + "' "
                + ProtocolServer.class.getName() + " " + String.join(" ", args);
    }

    private record Run(String out, ConformanceRunner.Summary summary) {
    }

    private static Run run(String command, Profile only, Duration stepTimeout, List<Path> files) throws IOException {
        return run(command, only, stepTimeout, files, false);
    }

    private static Run run(String command, Profile only, Duration stepTimeout, List<Path> files, boolean validate)
            throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConformanceRunner r = new ConformanceRunner(only, new PrintStream(buf, true, StandardCharsets.UTF_8), null)
                .againstImpl(command, stepTimeout, 50).validatingTraces(validate);
        ConformanceRunner.Summary s = r.run(files);
        return new Run(buf.toString(StandardCharsets.UTF_8), s);
    }

    private static int inProcessRuns(Profile p) throws IOException {
        ConformanceRunner r = new ConformanceRunner(p, new PrintStream(new ByteArrayOutputStream()), null);
        ConformanceRunner.Summary s = r.run(ConformanceRunner.collect(List.of(CORPUS)));
        assertEquals(0, s.failed(), "the corpus passes in process");
        return s.passed();
    }

    @Test
    void theReferenceBehindTheProtocolPassesTheWholeCorpusInBothProfiles() throws IOException {
        for (Profile p : Profile.values()) {
            Run r = run(reference("--profile", p.id()), null, Duration.ofSeconds(30),
                    ConformanceRunner.collect(List.of(CORPUS)));
            assertEquals(0, r.summary().failed(), r.out());
            assertEquals(0, r.summary().skipped(), r.out());
            assertEquals(inProcessRuns(p), r.summary().passed(), "every variant of " + p.id() + " ran: " + r.out());
        }
    }

    @Test
    void aScenarioIsSkippedExactlyWhenItNeedsACapabilityTheImplementationLacks() throws IOException {
        String caps = "sendn,alert,processes,limits,virtual_time,signals";
        Run r = run(reference("--capabilities", caps), null, Duration.ofSeconds(30),
                ConformanceRunner.collect(List.of(CORPUS)));
        assertEquals(0, r.summary().failed(), r.out());
        Set<Capability> has = ProtocolServer.capabilities(List.of(caps.split(",")));
        int expectSkipped = 0;
        for (Path f : ConformanceRunner.collect(List.of(CORPUS))) {
            Scenario sc = assertParses(f);
            if (!sc.profiles().contains(Profile.ILLUMOS)) {
                continue;
            }
            Map<Capability, String> needs = Needs.of(sc, Profile.ILLUMOS);
            boolean skip = !has.containsAll(needs.keySet());
            expectSkipped += skip ? 1 : 0;
            String line = "SKIP " + sc.name() + " [illumos]: needs ";
            assertEquals(skip, r.out().contains(line), sc.name() + " needs " + needs);
        }
        assertEquals(expectSkipped, r.summary().skipped());
        assertTrue(r.out().contains("SKIP alert-wakes-every-waiter [illumos]: needs wakeup_order")
                || r.out().contains("SKIP alert-wakes-every-waiter [illumos]: needs deferred_run")
                || !r.out().contains("SKIP alert-wakes-every-waiter"), r.out());
        assertTrue(r.out().contains("SKIP fd-"), "FD scenarios need fd: " + r.out());
        assertTrue(r.out().contains("pause ("), "pause scenarios say which step needs it");
    }

    private static Scenario assertParses(Path f) {
        try {
            return Scenario.parse(f);
        } catch (ScenarioException e) {
            throw new AssertionError(f + ": " + e.getMessage());
        }
    }

    @Test
    void aCoreFaultBehindTheProtocolFailsTheScenariosThatPinItDown() throws IOException {
        Run r = run(reference("--fault", "FIFO_WAITERS"), null, Duration.ofSeconds(30),
                ConformanceRunner.collect(List.of(CORPUS)));
        assertTrue(r.summary().failed() > 0, "FIFO waiters must fail some ring scenario: " + r.out());
        assertTrue(r.out().contains("FAIL ring-"), r.out());
    }

    @Test
    void theApiTracesAnImplementationWritesAreValidatedAndAMissingOneFailsItsRun() throws IOException {
        List<Path> some = ConformanceRunner.collect(List.of(CORPUS)).stream()
                .filter(f -> f.getFileName().toString().matches("(ring|alert|close-last|timeout)-.*")).toList();
        Run r = run(reference(), null, Duration.ofSeconds(30), some, true);
        assertEquals(0, r.summary().failed(), r.out());
        assertTrue(r.summary().passed() >= 20, r.out());
        Run none = run(fake("none", null), null, Duration.ofSeconds(4), twoScenarios(), true);
        assertEquals(2, none.summary().failed(), none.out());
        assertTrue(none.out().contains("the implementation wrote none"), none.out());
    }

    // ---- children that misbehave -----------------------------------------------------------

    private List<Path> twoScenarios() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String name : List.of("first", "second")) {
            Path f = dir.resolve(name + ".json");
            Files.writeString(f, "{\"name\":\"" + name + "\",\"profile\":\"illumos\",\"steps\":["
                    + "{\"op\":\"port_create\",\"thread\":\"T0\",\"proc\":\"P1\",\"as\":\"p\"},"
                    + "{\"op\":\"port_send\",\"thread\":\"T0\",\"port\":\"p\",\"events\":1,\"user\":\"u\","
                    + "\"expect\":{\"ret\":0}}]}");
            files.add(f);
        }
        return files;
    }

    private static String fake(String mode, String marker) {
        Path script = Path.of("src/test/resources/impls/fake_impl.py").toAbsolutePath();
        return "python3 '" + script + "' " + mode + (marker == null ? "" : " " + marker);
    }

    private Run misbehaving(String mode, String marker) throws IOException {
        return run(fake(mode, marker), null, Duration.ofMillis(4000), twoScenarios());
    }

    @Test
    void aWellBehavedFakePassesSoTheMisbehavingOnesFailForTheirMisbehaviour() throws IOException {
        Run r = misbehaving("none", null);
        assertEquals(2, r.summary().passed(), r.out());
    }

    @Test
    void everyMisbehaviourIsOneLineNamingTheScenarioAndTheStepWithTheChildsStderr() throws IOException {
        Map<String, String> says = Map.of(
                "exit", "exited with status 7 before replying to call port_send",
                "garbage", "is not JSON: this is not json",
                "hang", "no reply to call port_send within 4000 ms",
                "wrongid", "carries id",
                "nostatus", "must have a \"status\"",
                "badstatus", "unknown status \"fine\"",
                "badret", "\"ret\" must be an integer");
        for (Map.Entry<String, String> e : says.entrySet()) {
            Run r = misbehaving(e.getKey(), null);
            for (String sc : List.of("first", "second")) {
                String line = r.out().lines().filter(l -> l.startsWith("FAIL " + sc + " ")).findFirst()
                        .orElseThrow(() -> new AssertionError(e.getKey() + ": no FAIL line for " + sc + ":\n" + r.out()));
                assertTrue(line.contains("step 2 (port_send)") && line.contains(e.getValue()),
                        e.getKey() + ": " + line);
            }
            assertTrue(r.out().contains("stderr: fake: misbehaving (" + e.getKey() + ")"),
                    e.getKey() + ": the child's stderr follows the error:\n" + r.out());
            assertTrue(r.out().contains("0 passed, 2 failed, 0 skipped"), r.out());
        }
    }

    @Test
    void aChildThatCannotStartIsOneErrorAndNoScenarioRuns() throws IOException {
        Run r = run("exec /nonexistent/impl", null, Duration.ofSeconds(5), twoScenarios());
        assertTrue(r.out().startsWith("ERROR exec /nonexistent/impl: "), r.out());
        assertTrue(r.out().contains("exited with status 127"), r.out());
        assertFalse(r.summary().ok());
    }

    @Test
    void theChildsWholeProcessGroupIsKilledAtTheEnd() throws IOException, InterruptedException {
        String marker = "eventports-marker-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        run(fake("hang", marker), null, Duration.ofMillis(1000), twoScenarios());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean alive = true;
        while (alive && System.nanoTime() < deadline) {
            alive = ProcessHandle.allProcesses().anyMatch(h -> h.info().arguments()
                    .map(a -> String.join(" ", a).contains(marker)).orElse(false));
            if (alive) {
                Thread.sleep(100);
            }
        }
        assertFalse(alive, "the child's background process (" + marker + ") outlived the run");
    }
}
