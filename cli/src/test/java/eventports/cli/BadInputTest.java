package eventports.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: every bad command line is one clear line and a non-zero exit, before any work is
 * done — never a stack trace, a hang, or a success that did nothing (D4, D5, D8–D11, D13,
 * D14/D2/D6/D18 for trace files, D17, and the scratch directories modelcheck left behind).
 * Each case is named by its defect, so a run on the code before a fix shows which defects it
 * still has (cli/README.md's table).
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

    private static final String CORPUS = "../conformance/scenarios";

    /**
     * A bad command line: the defect it showed (issue 18's numbering), the words the one-line
     * error must contain, and the arguments; {@code {file}} is a regular file, {@code {dir}} an
     * empty directory. Issue 18's defects come first, each as the issue shows it.
     */
    private record BadLine(String defect, String mentions, List<String> args) {
        @Override
        public String toString() {
            return defect + ": " + String.join(" ", args);
        }
    }

    private static BadLine bad(String defect, String mentions, String... args) {
        return new BadLine(defect, mentions, List.of(args));
    }

    static Stream<BadLine> badCommandLines() {
        return Stream.of(
                // D4: output paths were checked only after the work was done
                bad("D4", "--report", "check", "--report", "{file}"),
                bad("D4", "--out", "explore", "--programs", "3", "--out", "{file}"),
                bad("D4", "--write-traces", "conformance", "--write-traces", "{file}", CORPUS),
                // D5: a bad option value printed a stack trace (exit 1)
                bad("D5", "--profile", "conformance", "--profile", "solaris", CORPUS),
                bad("D5", "--profile", "trace", "validate", "--profile", "bogus", "x.ndjson"),
                bad("D5", "--profile", "check", "--profile", "nonsense"),
                bad("D5", "--budget", "check", "--budget", "nonsense"),
                bad("D5", "--profile", "explore", "--profile", "bogus"),
                bad("D5", "--target", "explore", "--target", "nosuchprop"),
                bad("D5", "--model", "modelcheck", "--model", "gigantic"),
                bad("D5", "--max-events", "trace", "validate", "--max-events", "-1", "x.ndjson"),
                // D11: modelcheck passed these to TLC unchecked ("Assumption line 103 ... is false")
                bad("D11", "--profile", "modelcheck", "--profile", "bogus"),
                bad("D11", "--fixes", "modelcheck", "--fixes", "NoSuchFix"),
                bad("D11", "--workers", "modelcheck", "--workers", "0"),
                // D9, D10, D13: runs that checked nothing exited 0
                bad("D9", "NoSuchInv", "modelcheck", "--only", "NoSuchInv"),
                bad("D10", "--worker", "modelcheck", "--worker", "no-such-host.invalid"),
                bad("D13", "--programs", "explore", "--programs", "0"),
                bad("D13", "--max-schedules", "explore", "--systematic", "--max-schedules", "-1"),
                // not in issue 18: later options held to the same rule
                bad("conformance --impl", "--step-timeout", "conformance", "--impl", "true", "--step-timeout", "0", CORPUS),
                bad("trace validate --servers", "--servers", "trace", "validate", "--servers", "{file}", "x.ndjson"),
                bad("trace validate --servers", "--servers", "trace", "validate", "--level", "api", "--servers", ".", "x.ndjson"),
                bad("stress", "--seconds", "stress", "--seconds", "-1"),
                bad("stress", "--seconds", "stress", "--seconds", "0"),
                bad("stress", "--profile", "stress", "--profile", "solaris"),
                bad("stress", "--layer", "stress", "--layer", "vfs"),
                bad("stress", "--trace", "stress", "--seconds", "0.1", "--trace", "{dir}/no-such-dir/t.ndjson"),
                bad("stress", "--trace", "stress", "--seconds", "0.1", "--trace", "{dir}"),
                // D8 last: before its fix it never ended, and its thread outlives the timeout
                bad("D8", "--programs", "explore", "--programs", "-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void aBadCommandLineIsOneLineAndExitTwoBeforeAnyWork(BadLine bad) throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        usageError(bad.mentions(), bad.args().stream()
                .map(a -> a.replace("{file}", file.toString()).replace("{dir}", empty.toString()))
                .toArray(String[]::new));
    }

    /** D13: a directory with no scenario in it ran nothing and exited 0. */
    @Test
    void anEmptyScenarioDirectoryIsAFailure() {
        Run empty = run("conformance", dir.toString());
        assertEquals(1, empty.exit(), empty.all());
        assertTrue(empty.out().contains("no scenario file"), empty.all());
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

    /**
     * A bad trace file: the defect it showed, its name, how it is made from a good trace's lines
     * (null: not made at all; {@link #DIRECTORY}: a directory), and how its ERROR line goes on
     * after the file name.
     */
    private record BadTrace(String defect, String name, Function<List<String>, byte[]> make, String says) {
        @Override
        public String toString() {
            return defect + ": " + name;
        }
    }

    private static final Function<List<String>, byte[]> DIRECTORY = l -> new byte[0];

    private static Function<List<String>, byte[]> eachLine(UnaryOperator<String> edit) {
        return lines -> text(lines.stream().map(edit).toList());
    }

    private static Function<List<String>, byte[]> line(int index, UnaryOperator<String> edit) {
        return lines -> {
            List<String> l = new ArrayList<>(lines);
            l.set(index, edit.apply(l.get(index)));
            return text(l);
        };
    }

    private static byte[] text(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static UnaryOperator<String> seq(String v) {
        return l -> l.replaceFirst("\"seq\":-?\\d+", "\"seq\":" + Matcher.quoteReplacement(v));
    }

    private static UnaryOperator<String> port(String v) {
        return l -> l.replaceFirst("\"port\":\\d+", "\"port\":" + Matcher.quoteReplacement(v));
    }

    static Stream<BadTrace> badTraces() {
        return Stream.of(
                // D2: seq was ignored, the file validated in file order
                new BadTrace("D2", "swapped.ndjson", lines -> {
                    List<String> l = new ArrayList<>(lines);
                    Collections.swap(l, 2, 3);
                    return text(l);
                }, ":3: \"seq\""),
                new BadTrace("D2", "repeated.ndjson", line(1, seq("0")), ":2: \"seq\""),
                new BadTrace("D2", "all-zero.ndjson", eachLine(seq("0")), ":2: \"seq\""),
                new BadTrace("D2", "negative-seq.ndjson", line(0, seq("-1")), ":1: \"seq\""),
                new BadTrace("D2", "seq-not-a-number.ndjson", line(0, seq("\"one\"")), ":1: \"seq\""),
                // D6: records on a port that is no port were dropped without a word
                new BadTrace("D6", "port0.ndjson", eachLine(port("0")), ":1: \"port\""),
                new BadTrace("D6", "negative-port.ndjson", eachLine(port("-1")), ":1: \"port\""),
                new BadTrace("D6", "port-string.ndjson", eachLine(port("\"1\"")), ":1: \"port\""),
                new BadTrace("D6", "port-2^40.ndjson", eachLine(port("1099511627776")), ":1: \"port\""),
                // D18: an enumerated field held a value FORMAT.md does not list
                new BadTrace("D18", "forever.ndjson", eachLine(l -> l.replace("\"to\":\"null\"", "\"to\":\"forever\"")),
                        ":2: \"to\" must be one of"),
                // a field the spec reads as a number or a truth value, of another type: TLC failed mid-run
                new BadTrace("typed", "nget-string.ndjson", eachLine(l -> l.replace("\"nget\":1", "\"nget\":\"one\"")),
                        ":2: \"nget\" must be an integer"),
                new BadTrace("typed", "first-number.ndjson", eachLine(l -> l.replace("\"first\":true", "\"first\":1")),
                        ":2: \"first\" must be true or false"),
                // D13: an empty trace checked nothing and exited 0
                new BadTrace("D13", "empty.ndjson", lines -> new byte[0], ": no records"),
                // D14: errors that named no file or reason
                new BadTrace("D14", "binary.ndjson", lines -> new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2}, ": not UTF-8"),
                new BadTrace("D14", "missing.ndjson", null, ": no such file"),
                new BadTrace("D14", "a-directory", DIRECTORY, ": is a directory"));
    }

    /** A good lock-level trace, written by the conformance runner from a corpus scenario. */
    private Path goodTrace() throws IOException {
        Path good = dir.resolve("good");
        Run write = run("conformance", "--write-traces", good.toString(),
                "../conformance/scenarios/get-blocks-until-send.json");
        assertEquals(0, write.exit(), write.all());
        return good.resolve("get-blocks-until-send.illumos.ndjson");
    }

    private Path make(BadTrace t, List<String> good) throws IOException {
        Path f = dir.resolve(t.name());
        if (t.make() == DIRECTORY) {
            Files.createDirectories(f);
        } else if (t.make() != null) {
            Files.write(f, t.make().apply(good));
        }
        return f;
    }

    private static void assertNamed(Run r, Path f, BadTrace t) {
        assertTrue(r.out().contains("ERROR " + f + t.says()), t + ": expected 'ERROR " + f + t.says() + "':\n" + r.all());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTraces")
    void aBadTraceFileIsAnErrorNamingTheFileLineAndField(BadTrace t) throws IOException {
        Path f = make(t, Files.readAllLines(goodTrace()));
        Run r = run("trace", "validate", f.toString());
        assertEquals(1, r.exit(), r.all());
        assertNamed(r, f, t);
        assertFalse(r.all().contains("\tat ") || r.all().contains("Exception"), "a stack trace:\n" + r.all());
    }

    /** D14: one bad file (a missing one stopped them all) leaves the others to run. */
    @Test
    void badTraceFilesAreEachNamedAndTheOthersStillRun() throws IOException {
        Path trace = goodTrace();
        List<String> lines = Files.readAllLines(trace);
        List<BadTrace> bad = badTraces().toList();
        List<String> args = new ArrayList<>(List.of("trace", "validate"));
        for (BadTrace t : bad) {
            args.add(make(t, lines).toString());
        }
        args.add(trace.toString());
        Run r = run(args.toArray(new String[0]));
        assertEquals(1, r.exit(), r.all());
        for (BadTrace t : bad) {
            assertNamed(r, dir.resolve(t.name()), t);
        }
        assertTrue(r.out().contains("ACCEPT " + trace), "the good file still ran:\n" + r.all());
        assertTrue(r.out().contains("1 passed, " + bad.size() + " failed"), r.all());
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
                "modelcheck", "--model", "window", "--profile", "corrected", "--workers", "1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("mc.log").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "modelcheck finished");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("mc.log")));
        try (Stream<Path> s = Files.list(tmp)) {
            List<Path> left = s.filter(f -> f.getFileName().toString().startsWith("eventports-")).toList();
            assertTrue(left.isEmpty(), "left behind: " + left);
        }
    }
}
