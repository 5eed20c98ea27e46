package eventports.cli;

import eventports.bench.BenchRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code eventports bench [--quick]}: run the JMH benchmarks of bench/ (issue 7), each in a
 * forked JVM with this command's classpath, print every result as a ratio to its baseline from
 * the same run and write bench/RESULTS.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the benchmarks (JMH, forked JVMs, real threads, tracing off unless measured), "
                + "print ratios to the baselines of the same run and write bench/RESULTS.md.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Short run (under 5 minutes on 2 cores): one fork, short iterations, "
            + "one size per parameter.")
    boolean quick;

    @Option(names = "--results", paramLabel = "FILE",
            description = "Where to write the Markdown results (default: bench/RESULTS.md of this checkout).")
    Path results;

    @Option(names = "--jfr", paramLabel = "DIR",
            description = "Record every benchmark JVM with JDK Flight Recorder into DIR (JMH's jfr profiler).")
    Path jfr;

    @Override
    public Integer call() throws Exception {
        Path out = results != null ? results : defaultResults();
        Path logs = out.toAbsolutePath().getParent().resolve("target").resolve("jmh");
        BenchRunner.Mode mode = quick ? BenchRunner.Mode.QUICK : BenchRunner.Mode.FULL;
        BenchRunner r = new BenchRunner(mode, System.out, logs, jfr == null ? null : jfr.toAbsolutePath().toString());
        long t0 = System.nanoTime();
        r.runAll();
        r.printRatios(System.out);
        r.writeMarkdown(out, "./eventports bench" + (quick ? " --quick" : ""));
        System.out.printf("%nwrote %s (%.0f s)%n", out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** bench/RESULTS.md of the checkout this command was built in (its jar sits in cli/target), else of the cwd. */
    static Path defaultResults() {
        try {
            Path p = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = p; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("bench").resolve("pom.xml"))) {
                    return d.resolve("bench").resolve("RESULTS.md");
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of("bench", "RESULTS.md");
    }
}
