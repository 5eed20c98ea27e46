package eventports.cli;

import eventports.bench.BenchRunner;
import eventports.bench.TracedRun;
import eventports.kernel.Limits;
import eventports.kernel.Profile;
import eventports.tracevalidation.TraceIo;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code eventports bench [--quick]}: run the JMH benchmarks of bench/ (issues 7 and 16), each in
 * a forked JVM with this command's classpath, print every result as a ratio to its baseline from
 * the same run (the per-event cost first) and write bench/RESULTS.md.
 * {@code eventports bench --traced N}: run the throughput workload with tracing into a
 * MemorySink for N events and have TLC validate the trace (the protocol is unchanged by the
 * speed work). To measure another build of the core, point {@code EVENTPORTS_CORE} at its jar
 * (the launcher puts it in place of this checkout's).
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

    @Option(names = "--traced", paramLabel = "EVENTS",
            description = "Instead of benchmarking: run the throughput workload (port_send / port_getn into a list) "
                    + "with tracing into a MemorySink until EVENTS events have moved, and validate the trace with TLC.")
    Integer traced;

    @Option(names = "--threads", paramLabel = "P", defaultValue = "2",
            description = "With --traced: P producers and P consumers (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--profile", defaultValue = "illumos",
            description = "With --traced: the profile (default: ${DEFAULT-VALUE}).")
    String profile;

    @Override
    public Integer call() throws Exception {
        if (traced != null) {
            return tracedRun();
        }
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

    private int tracedRun() throws Exception {
        if (traced < 1 || threads < 1) {
            System.out.println("ERROR --traced and --threads must be at least 1");
            return 2;
        }
        Profile p = Profile.of(profile);
        long t0 = System.nanoTime();
        TracedRun.Outcome o = TracedRun.run(p, threads, traced);
        System.out.printf("traced run: %d/%d producers/consumers, %d events sent, %d received, %d records (%.1f s)%n",
                threads, threads, o.sent(), o.received(), o.records().size(), (System.nanoTime() - t0) / 1e9);
        Path file = defaultResults().toAbsolutePath().getParent().resolve("target").resolve("traced")
                .resolve("throughput-" + p.id() + "-" + threads + "x" + threads + "-" + traced + ".ndjson");
        Files.createDirectories(file.getParent());
        TraceIo.write(file, o.records());
        System.out.println("trace: " + file + " (again: ./eventports trace validate --profile " + p.id() + " " + file + ")");
        List<Verdict> vs = TraceValidator.validateRun("bench-traced", p, Limits.ILLUMOS_DEFAULTS.portMaxEvents(),
                o.records());
        int bad = 0;
        for (Verdict v : vs) {
            System.out.println(v.report());
            if (!v.accepted()) {
                bad++;
            }
        }
        System.out.println((vs.size() - bad) + " passed, " + bad + " failed");
        return bad == 0 && o.received() == o.sent() ? 0 : 1;
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
