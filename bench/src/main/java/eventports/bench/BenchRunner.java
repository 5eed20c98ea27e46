package eventports.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the issue-7 benchmarks with JMH (each benchmark in a forked JVM, except in the smoke
 * mode tests use), pairs every port result with its baseline from the same run, prints the
 * ratios with JMH's error and writes them to a Markdown file together with the machine.
 *
 * <p>A ratio's error is propagated from the two scores' JMH errors (99.9 % confidence
 * half-widths): {@code r * sqrt((ea/a)^2 + (eb/b)^2)}.
 */
public final class BenchRunner {

    /** How long to measure. */
    public enum Mode {
        /** Minutes: the default. */
        FULL,
        /** Under five minutes on two cores: one fork, short iterations, one size per parameter. */
        QUICK,
        /** Seconds, in-process (no fork): only checks that the harness runs (tests). */
        SMOKE
    }

    /** One benchmark result: the score that counts and its error, in its unit. */
    public record Score(double score, double error, String unit) {
    }

    /**
     * One line of the report: the score keyed {@code port} against the one keyed {@code base}.
     * The ratio is always port / base: for throughputs (Throughput rows) above 1 is better, for
     * times (every other row) below 1 is better. {@code goal}: null, or a bound the ratio should
     * meet (">= 1.2", "<= 1.1").
     */
    public record Row(String section, String what, String port, String base, String goal) {
    }

    /** A computed line. */
    public record Ratio(Row row, Score port, Score base, double ratio, double error, Boolean met) {
        public String formatted() {
            return String.format(Locale.ROOT, "%.3f ± %s", ratio,
                    Double.isNaN(error) ? "n/a" : String.format(Locale.ROOT, "%.3f", error));
        }
    }

    private final Mode mode;
    private final PrintStream out;
    private final Path logDir;
    private final String jfrDir;
    private final Map<String, Score> scores = new LinkedHashMap<>();
    private String loadBefore = "";
    private String loadAfter = "";

    public BenchRunner(Mode mode, PrintStream out, Path logDir, String jfrDir) {
        this.mode = mode;
        this.out = out;
        this.logDir = logDir;
        this.jfrDir = jfrDir;
    }

    public Map<String, Score> scores() {
        return scores;
    }

    // ---- plan ----------------------------------------------------------------------------

    static final String[] QUEUES = {"lbqTake", "lbqDrain", "abqDrain", "ltqDrain", "mpmc"};
    static final Map<String, String> QUEUE_NAMES = Map.of(
            "lbqTake", "LinkedBlockingQueue put/take",
            "lbqDrain", "LinkedBlockingQueue put/take+drainTo(64)",
            "abqDrain", "ArrayBlockingQueue put/take+drainTo(64)",
            "ltqDrain", "LinkedTransferQueue offer/take+drainTo(64)",
            "mpmc", "JCTools MpmcArrayQueue offer/drain(64)");

    int[] threadCounts() {
        return mode == Mode.SMOKE ? new int[] {1} : new int[] {1, 2, 4};
    }

    String[] waiters() {
        return mode == Mode.FULL ? new String[] {"1", "4", "16"} : new String[] {mode == Mode.SMOKE ? "2" : "4"};
    }

    String[] ports() {
        return mode == Mode.FULL ? new String[] {"1", "16", "256"} : new String[] {mode == Mode.SMOKE ? "2" : "16"};
    }

    /** The report's lines, in order. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (int p : threadCounts()) {
            String tg = p + "/" + p;
            for (String q : QUEUES) {
                String goal = null;
                if (q.equals("lbqDrain") && (p == 1 || p == 4)) {
                    goal = ">= 1.2";
                } else if (q.equals("mpmc")) {
                    goal = ">= 0.6";
                }
                rows.add(new Row("throughput " + tg, "port_send/port_getn(64) vs " + QUEUE_NAMES.get(q),
                        "Throughput.port@" + tg, "Throughput." + q + "@" + tg, goal));
            }
        }
        rows.add(new Row("wake-up latency", "port_send → port_get vs ReentrantLock+Condition hand-off",
                "WakeupLatency.port", "WakeupLatency.bare", "<= 1.1"));
        rows.add(new Row("tracing", "sink that drops records vs tracing off",
                "Tracing.sendGetn[trace=drop]", "Tracing.sendGetn[trace=off]", null));
        rows.add(new Row("tracing", "counting sink vs tracing off",
                "Tracing.sendGetn[trace=count]", "Tracing.sendGetn[trace=off]", "<= 1.3"));
        rows.add(new Row("tracing", "MemorySink vs tracing off",
                "Tracing.sendGetn[trace=memory]", "Tracing.sendGetn[trace=off]", "<= 1.3"));
        for (String n : waiters()) {
            rows.add(new Row("alert fan-out", "port_alert to " + n + " waiters vs Condition.signalAll",
                    "AlertFanout.port[waiters=" + n + "]", "AlertFanout.bare[waiters=" + n + "]", null));
        }
        for (String n : ports()) {
            rows.add(new Row("port_sendn", "port_sendn to " + n + " ports vs " + n + " × port_send",
                    "Sendn.sendn[ports=" + n + "]", "Sendn.sendLoop[ports=" + n + "]", null));
            rows.add(new Row("port_sendn", "port_sendn to " + n + " ports vs " + n + " × LinkedBlockingQueue.offer",
                    "Sendn.sendn[ports=" + n + "]", "Sendn.lbq[ports=" + n + "]", null));
        }
        return rows;
    }

    // ---- running ---------------------------------------------------------------------------

    private ChainedOptionsBuilder options(String include, boolean throughput) {
        ChainedOptionsBuilder b = new OptionsBuilder().include(include).shouldFailOnError(true);
        switch (mode) {
            case FULL:
                b.forks(2).warmupIterations(8).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(8).measurementTime(TimeValue.seconds(1));
                break;
            case QUICK:
                // two busy threads leave the JIT little CPU on two cores: the throughput
                // benchmarks need seconds of warm-up before C2 has compiled port_getn
                // the blocking paths (port_get, alert) also need a second or more before C2 is done
                b.forks(1).warmupIterations(throughput ? 4 : 3)
                        .warmupTime(TimeValue.milliseconds(1000))
                        .measurementIterations(throughput ? 3 : 4)
                        .measurementTime(TimeValue.milliseconds(throughput ? 1000 : 500));
                break;
            default:
                b.forks(0).warmupIterations(0).measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(50));
                break;
        }
        if (mode != Mode.SMOKE) {
            b.jvmArgsAppend("-Xms1g", "-Xmx1g");
        }
        if (jfrDir != null) {
            b.addProfiler("jfr", "dir=" + jfrDir);
        }
        return b;
    }

    /** Run everything; the scores are then in {@link #scores()}. */
    public void runAll() throws RunnerException, IOException {
        Files.createDirectories(logDir);
        loadBefore = Machine.loadAverage();
        for (int p : threadCounts()) {
            ChainedOptionsBuilder b = options("eventports\\.bench\\.Throughput\\.", true).threadGroups(p, p);
            run("throughput " + p + "/" + p, b, "@" + p + "/" + p);
        }
        ChainedOptionsBuilder b = options("eventports\\.bench\\.(WakeupLatency|Tracing|AlertFanout|Sendn)\\.", false)
                .threads(1)
                .param("waiters", waiters())
                .param("ports", ports());
        run("latency, tracing, fan-out, sendn", b, "");
        loadAfter = Machine.loadAverage();
    }

    private void run(String label, ChainedOptionsBuilder b, String suffix) throws RunnerException {
        String log = logDir.resolve("jmh-" + label.replaceAll("[^A-Za-z0-9]+", "-") + ".log").toString();
        out.println("running " + label + " (JMH log: " + log + ")");
        out.flush();
        long t0 = System.nanoTime();
        for (RunResult r : new Runner(b.output(log).build()).run()) {
            record(r, suffix);
        }
        out.printf(Locale.ROOT, "  done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private void record(RunResult r, String suffix) {
        BenchmarkParams p = r.getParams();
        String name = p.getBenchmark().replaceFirst("^eventports\\.bench\\.", "");
        StringBuilder key = new StringBuilder(name);
        List<String> keys = new ArrayList<>(p.getParamsKeys());
        if (!keys.isEmpty()) {
            key.append('[');
            for (int i = 0; i < keys.size(); i++) {
                key.append(i == 0 ? "" : ",").append(keys.get(i)).append('=').append(p.getParam(keys.get(i)));
            }
            key.append(']');
        }
        key.append(suffix);
        Result<?> res = name.startsWith("Throughput.") ? r.getSecondaryResults().get("events") : r.getPrimaryResult();
        if (res == null) {
            res = r.getPrimaryResult();
        }
        scores.put(key.toString(), new Score(res.getScore(), res.getScoreError(), res.getScoreUnit()));
    }

    // ---- ratios --------------------------------------------------------------------------

    public List<Ratio> ratios() {
        List<Ratio> l = new ArrayList<>();
        for (Row row : rows()) {
            Score a = scores.get(row.port());
            Score b = scores.get(row.base());
            if (a == null || b == null) {
                continue;
            }
            double ratio = a.score() / b.score();
            double ea = a.error() / a.score();
            double eb = b.error() / b.score();
            double err = ratio * Math.sqrt(ea * ea + eb * eb);
            Boolean met = null;
            if (row.goal() != null) {
                double bound = Double.parseDouble(row.goal().substring(3));
                met = row.goal().startsWith(">=") ? ratio >= bound : ratio <= bound;
            }
            l.add(new Ratio(row, a, b, ratio, err, met));
        }
        return l;
    }

    static String verdict(Ratio r) {
        if (r.met() == null) {
            return "";
        }
        double bound = Double.parseDouble(r.row().goal().substring(3));
        String v = "goal " + r.row().goal().replace(">=", "≥").replace("<=", "≤") + ": " + (r.met() ? "met" : "MISSED");
        if (!Double.isNaN(r.error()) && Math.abs(r.ratio() - bound) <= r.error()) {
            v += " (within error)";
        }
        return v;
    }

    /** The ratio lines, as printed. */
    public void printRatios(PrintStream ps) {
        ps.println();
        ps.println("ratios to the baseline measured in the same run (± from JMH's 99.9 % errors; "
                + "throughput: port / baseline, higher is better; times: port / baseline, lower is better)");
        String section = null;
        for (Ratio r : ratios()) {
            if (!r.row().section().equals(section)) {
                section = r.row().section();
                ps.println(section);
            }
            ps.println(String.format(Locale.ROOT, "  %-78s %16s  %s", r.row().what(), r.formatted(), verdict(r))
                    .stripTrailing());
        }
    }

    // ---- RESULTS.md ----------------------------------------------------------------------

    public String markdown(String command) {
        StringBuilder s = new StringBuilder();
        s.append("# Benchmark results\n\n");
        s.append("Written by `").append(command).append("` on ")
                .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(" (mode ")
                .append(mode.name().toLowerCase(Locale.ROOT)).append("). What each benchmark does: `bench/README.md`.\n\n");
        s.append("## Machine\n\n");
        for (Map.Entry<String, String> e : Machine.describe().entrySet()) {
            s.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        s.append("- load average (1 / 5 / 15 min) at the start: ").append(loadBefore).append(", at the end: ")
                .append(loadAfter).append(" (anything well above 0 means other work shared the CPUs)\n");
        s.append("- JMH: ").append(settings()).append("\n\n");
        s.append("## Ratios\n\n");
        s.append("Each port result against its baseline from the same run. Throughput rows: port / baseline "
                + "(events per µs; higher is better). Latency, tracing, fan-out and sendn rows: port time / "
                + "baseline time (lower is better). ± is propagated from JMH's 99.9 % confidence errors.\n\n");
        s.append("| section | comparison | ratio | goal |\n|---|---|---|---|\n");
        for (Ratio r : ratios()) {
            s.append("| ").append(r.row().section()).append(" | ").append(r.row().what()).append(" | ")
                    .append(r.formatted()).append(" | ").append(verdict(r)).append(" |\n");
        }
        s.append("\n## Scores\n\n| benchmark | score | error | unit |\n|---|---|---|---|\n");
        for (Map.Entry<String, Score> e : scores.entrySet()) {
            Score sc = e.getValue();
            s.append(String.format(Locale.ROOT, "| %s | %.3f | %s | %s |%n", e.getKey(), sc.score(),
                    Double.isNaN(sc.error()) ? "n/a" : String.format(Locale.ROOT, "%.3f", sc.error()), sc.unit()));
        }
        s.append("\nThroughput scores are the consumers' `events` counter (events handed over per µs), "
                + "`@P/P` the producer/consumer threads.\n");
        return s.toString();
    }

    String settings() {
        switch (mode) {
            case FULL:
                return "2 forks, 8 × 1 s warm-up, 8 × 1 s measurement per benchmark";
            case QUICK:
                return "1 fork; throughput 4 × 1 s warm-up, 3 × 1 s measurement; others 3 × 1 s warm-up, "
                        + "4 × 0.5 s measurement";
            default:
                return "smoke: no fork, one 50 ms iteration";
        }
    }

    public void writeMarkdown(Path file, String command) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, markdown(command), StandardCharsets.UTF_8);
    }
}
