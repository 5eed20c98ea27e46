package eventports.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: every bad command line is one clear line and a non-zero exit, before any work is
 * done — never a stack trace, a hang, or a success that did nothing (D4, D5, D8–D11, D13,
 * D14/D2/D6/D18 for trace files, D17, and the scratch directories modelcheck left behind).
 */
class BadInputTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Run run(String... args) {
        out.reset();
        err.reset();
        int rc = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> Main.run(args), String.join(" ", args));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit 2, a message naming what is wrong, no stack trace, and no work done. */
    private void usageError(String mentions, String... args) {
        Run r = run(args);
        String line = String.join(" ", args);
        assertEquals(2, r.exit(), line + ":\n" + r.all());
        assertTrue(r.all().contains(mentions), line + ": expected the message to mention '" + mentions + "':\n" + r.all());
        assertFalse(r.all().contains("\tat ") || r.all().contains("Exception in"), line + ": a stack trace:\n" + r.all());
        assertFalse(r.out().contains("PASS") || r.out().contains("CHECK") || r.out().contains("programs run"),
                line + ": work was done before the error:\n" + r.all());
    }

    @Test
    void badOptionValuesAreUsageErrorsNamingTheOption() {
        usageError("--profile", "conformance", "--profile", "solaris", "../conformance/scenarios");
        usageError("--profile", "trace", "validate", "--profile", "bogus", "x.ndjson");
        usageError("--profile", "check", "--profile", "nonsense");
        usageError("--budget", "check", "--budget", "nonsense");
        usageError("--profile", "explore", "--profile", "bogus");
        usageError("--target", "explore", "--target", "nosuchprop");
        usageError("--model", "modelcheck", "--model", "gigantic");
        usageError("--max-events", "trace", "validate", "--max-events", "-1", "x.ndjson");
        usageError("--profile", "modelcheck", "--profile", "bogus");
        usageError("--fixes", "modelcheck", "--fixes", "NoSuchFix");
        usageError("--workers", "modelcheck", "--workers", "0");
        usageError("--step-timeout", "conformance", "--impl", "true", "--step-timeout", "0", "../conformance/scenarios");
        usageError("--seconds", "stress", "--seconds", "-1");
        usageError("--seconds", "stress", "--seconds", "0");
        usageError("--profile", "stress", "--profile", "solaris");
        usageError("--layer", "stress", "--layer", "vfs");
    }

    @Test
    void runsThatWouldCheckNothingAreErrors() {
        usageError("--programs", "explore", "--programs", "-1");
        usageError("--programs", "explore", "--programs", "0");
        usageError("--max-schedules", "explore", "--systematic", "--max-schedules", "-1");
        usageError("NoSuchInv", "modelcheck", "--only", "NoSuchInv");
        Run worker = run("modelcheck", "--worker", "no-such-host.invalid");
        assertTrue(worker.exit() != 0, "a worker that cannot reach its server fails:\n" + worker.all());
        Run empty = run("conformance", dir.toString());
        assertEquals(1, empty.exit(), empty.all());
        assertTrue(empty.out().contains("no scenario file"), empty.all());
    }

    @Test
    void outputPathsAreCheckedBeforeAnyWork() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        usageError("--report", "check", "--report", file.toString());
        usageError("--out", "explore", "--programs", "3", "--out", file.toString());
        usageError("--write-traces", "conformance", "--write-traces", file.toString(), "../conformance/scenarios");
        usageError("--trace", "stress", "--seconds", "0.1", "--trace", dir.resolve("no-such-dir/t.ndjson").toString());
        usageError("--trace", "stress", "--seconds", "0.1", "--trace", dir.toString());
    }

    @Test
    void aLongTracesEarlyRejectionIsFoundInItsPrefixWithoutTheRest() throws Exception {
        // issue 18: a million-line trace rejected at record 3 was read, held and searched whole
        System.setProperty("eventports.tv.probe", "200");
        try {
            List<String> lines = eventports.tracevalidation.SpeedTable.trace(1_500).stream()
                    .map(eventports.trace.Ndjson::line).toList();
            Path early = Files.write(dir.resolve("early.ndjson"), denied(lines, 20));
            Path late = Files.write(dir.resolve("late.ndjson"), denied(lines, 1_200));
            Run r = run("trace", "validate", early.toString(), late.toString());
            assertEquals(1, r.exit(), r.all());
            assertTrue(r.out().contains("REJECT " + early), r.all());
            assertTrue(r.out().contains("(found in the file's first 200 of " + lines.size()
                    + " records; the rest was not validated)"), r.all());
            // past the prefix: the prefix is accepted, so the whole file is validated and rejected
            assertTrue(r.out().contains("REJECT " + late), r.all());
            assertEquals(1, r.out().split("the rest was not validated", -1).length - 1, r.all());
            assertTrue(r.out().contains("0 passed, 2 failed"), r.all());
        } finally {
            System.clearProperty("eventports.tv.probe");
        }
    }

    /** The trace with its first delivery at or after line {@code from} turned into a denial (of a shareable event). */
    private static List<String> denied(List<String> lines, int from) {
        List<String> out = new java.util.ArrayList<>(lines);
        for (int i = from; i < out.size(); i++) {
            if (out.get(i).contains("\"outcome\":\"deliver\"")) {
                out.set(i, out.get(i).replace("\"outcome\":\"deliver\"", "\"outcome\":\"deny\""));
                return out;
            }
        }
        throw new AssertionError("no delivery after line " + from);
    }

    @Test
    void badTraceFilesAreEachNamedAndTheOthersStillRun() throws IOException {
        Path good = dir.resolve("good");
        Run write = run("conformance", "--write-traces", good.toString(),
                "../conformance/scenarios/get-blocks-until-send.json");
        assertEquals(0, write.exit(), write.all());
        Path trace = good.resolve("get-blocks-until-send.illumos.ndjson");
        List<String> lines = Files.readAllLines(trace);
        Path swapped = dir.resolve("swapped.ndjson");
        List<String> sw = new java.util.ArrayList<>(lines);
        java.util.Collections.swap(sw, 2, 3);
        Files.write(swapped, sw);
        Path port0 = Files.write(dir.resolve("port0.ndjson"), lines.stream().map(l -> l.replaceFirst("\"port\":\\d+", "\"port\":0")).toList());
        Path forever = Files.write(dir.resolve("forever.ndjson"), lines.stream()
                .map(l -> l.replace("\"to\":\"null\"", "\"to\":\"forever\"")).toList());
        Path empty = Files.write(dir.resolve("empty.ndjson"), new byte[0]);
        Path binary = Files.write(dir.resolve("binary.ndjson"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        Path missing = dir.resolve("missing.ndjson");
        Run r = run("trace", "validate", swapped.toString(), port0.toString(), forever.toString(), empty.toString(),
                binary.toString(), missing.toString(), dir.toString(), trace.toString());
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.out().contains("ERROR " + swapped + ":3: \"seq\""), r.all());
        assertTrue(r.out().contains("ERROR " + port0 + ":1: \"port\""), r.all());
        assertTrue(r.out().contains("\"to\" must be one of"), r.all());
        assertTrue(r.out().contains("ERROR " + empty + ": no records"), r.all());
        assertTrue(r.out().contains("ERROR " + binary + ":"), r.all());
        assertTrue(r.out().contains("ERROR " + missing + ": no such file"), r.all());
        assertTrue(r.out().contains("ERROR " + dir + ": is a directory"), r.all());
        assertTrue(r.out().contains("ACCEPT " + trace), "the good file still ran:\n" + r.all());
        assertTrue(r.out().contains("1 passed, 7 failed"), r.all());
    }

    @Test
    void nProgramsMeansNPrograms() {
        Run r = run("explore", "--programs", "5", "--seed", "1", "--profile", "corrected", "--quiet");
        assertTrue(r.out().contains("programs run 5,"), r.all());
    }

    @Test
    void modelcheckLeavesNoScratchDirectoryBehind() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "modelcheck", "--model", "close", "--profile", "corrected", "--workers", "1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("mc.log").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "modelcheck finished");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("mc.log")));
        try (Stream<Path> s = Files.list(tmp)) {
            List<Path> left = s.filter(f -> f.getFileName().toString().startsWith("eventports-")).toList();
            assertTrue(left.isEmpty(), "left behind: " + left);
        }
    }
}
