package eventports.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the benchmarks with JMH (each benchmark in a forked JVM, except in the smoke mode tests
 * use), pairs every port result with its baseline from the same run, prints the ratios and
 * writes them to a Markdown file together with the machine.
 *
 * <p>Two kinds of comparison (issue 16, "benchmarks that decide"):
 * <ul>
 * <li><b>Single-threaded</b> rows (per-event cost, tracing, sendn) compare JMH means; the
 * ratio's ± is propagated from the two 99.9 % confidence half-widths,
 * {@code r * sqrt((ea/a)^2 + (eb/b)^2)}. The per-event cost is measured in CPU time per
 * event ({@link CpuTimeProfiler}), which waiting for a CPU on a shared machine does not
 * inflate; its wall-clock ratio is printed next to it.</li>
 * <li><b>Contended</b> rows (throughput, wake-up latency, alert fan-out) compare medians over
 * every measurement iteration of every fork; the spread is the interquartile range, and the
 * ratio's spread runs from the worse pairing of quartiles to the better
 * ({@code q1/q3'} to {@code q3/q1'}): threads that share two CPUs with each other and with
 * other work make means and their error bars swing with the scheduler.</li>
 * </ul>
 * The per-event cost is run and printed first, on lines that begin with {@code per-event cost}.
 */
public final class BenchRunner {

    /** How long to measure. */
    public enum Mode {
        /** Many minutes: the default. */
        FULL,
        /** A few minutes on two cores: only what the goals need, short iterations. */
        QUICK,
        /** Seconds, in-process (no fork): only checks that the harness runs (tests). */
        SMOKE
    }

    /** Which statistic a row compares. */
    public enum Stat {
        /** JMH's mean and 99.9 % error. */
        MEAN,
        /** Median over all iterations, spread = interquartile range. */
        MEDIAN
    }

    /** One benchmark result: the mean and its error, the median and quartiles, in its unit. */
    public record Score(double score, double error, String unit, double median, double q1, double q3, long n) {
        double value(Stat s) {
            return s == Stat.MEAN ? score : median;
        }
    }

    /**
     * One line of the report: the score keyed {@code port} against the one keyed {@code base}.
     * The ratio is always port / base: for throughputs (Throughput rows) above 1 is better, for
     * times (every other row) below 1 is better. {@code goal}: null, or a bound the ratio should
     * meet (">= 1.2", "<= 1.1").
     */
    public record Row(String section, String what, String port, String base, String goal, Stat stat) {
    }

    /** A computed line: the ratio with either a ± (MEAN) or a low–high spread (MEDIAN). */
    public record Ratio(Row row, Score port, Score base, double ratio, double error, double lo, double hi,
                        Boolean met) {
        public String formatted() {
            // a score of 0 (an iteration too short to count one operation) decides nothing
            if (!Double.isFinite(ratio)) {
                return ZERO_SCORE;
            }
            if (row.stat() == Stat.MEDIAN) {
                return Double.isFinite(lo) && Double.isFinite(hi)
                        ? String.format(Locale.ROOT, "%.3f (%.3f–%.3f)", ratio, lo, hi)
                        : String.format(Locale.ROOT, "%.3f (n/a)", ratio);
            }
            return String.format(Locale.ROOT, "%.3f ± %s", ratio,
                    Double.isNaN(error) ? "n/a" : String.format(Locale.ROOT, "%.3f", error));
        }
    }

    /** What a ratio line says when a score of the run was 0. */
    static final String ZERO_SCORE = "n/a (a score of 0 in this run)";

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

    /** Does the core on the classpath have port_getn into the caller's list (not before issue 16)? */
    static final boolean CALLER_LIST = present("eventports.kernel.PortEvents");

    private static boolean present(String cls) {
        try {
            Class.forName(cls, false, BenchRunner.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static final Map<String, String> QUEUE_NAMES = Map.of(
            "lbqTake", "LinkedBlockingQueue put/take",
            "lbqDrain", "LinkedBlockingQueue put/take+drainTo(64)",
            "abqDrain", "ArrayBlockingQueue put/take+drainTo(64)",
            "ltqDrain", "LinkedTransferQueue offer/take+drainTo(64)",
            "mpmc", "JCTools MpmcArrayQueue offer/drain(64)");

    String[] queues() {
        return mode == Mode.FULL ? new String[] {"lbqTake", "lbqDrain", "abqDrain", "ltqDrain", "mpmc"}
                : new String[] {"lbqDrain", "abqDrain"};
    }

    /** The port's throughput groups: List-returning port_getn, and (if the core has it) the caller's list. */
    static String[] portGroups() {
        return CALLER_LIST ? new String[] {"portList", "port"} : new String[] {"port"};
    }

    int[] threadCounts() {
        return mode == Mode.SMOKE ? new int[] {1} : mode == Mode.QUICK ? new int[] {1, 4} : new int[] {1, 2, 4};
    }

    String[] waiters() {
        return mode == Mode.FULL ? new String[] {"1", "4", "16"} : new String[] {"2"};
    }

    String[] ports() {
        return mode == Mode.FULL ? new String[] {"1", "16", "256"} : new String[] {"2"};
    }

    String[] traceModes() {
        return mode == Mode.QUICK ? new String[] {"off", "memory"} : new String[] {"off", "drop", "count", "memory"};
    }

    /** Fan-out and sendn are not goals: left out of the quick run. */
    boolean extras() {
        return mode != Mode.QUICK;
    }

    static String portName(String group) {
        return group.equals("portList") ? "port_getn into the caller's list" : "port_getn returning a List";
    }

    /** The base of a row whose port score is already a ratio (the paired per-event cost). */
    static final String ONE = "1";

    /**
     * The per-event cost rows: the paired ratio (the one that decides), then the separate
     * runs' CPU time per event against each queue.
     */
    List<Row> perEventRows() {
        List<Row> rows = new ArrayList<>();
        for (String b : new String[] {"64", "1"}) {
            rows.add(new Row("per-event cost, batch " + b, "paired CPU time, port vs LinkedBlockingQueue offer+drainTo("
                    + b + ")", "PairedCost.paired[batch=" + b + "]:ratio", ONE, b.equals("64") ? "<= 1.0" : null,
                    Stat.MEDIAN));
        }
        for (String b : new String[] {"64", "1"}) {
            for (String p : CALLER_LIST ? new String[] {"portList", "port"} : new String[] {"port"}) {
                String key = "PerEvent." + p + "[batch=" + b + "]";
                String goal = null;
                rows.add(new Row("per-event cost, batch " + b, portName(p) + " vs LinkedBlockingQueue offer+drainTo("
                        + b + ")", key + ":cpu", "PerEvent.lbq[batch=" + b + "]:cpu", goal, Stat.MEAN));
                rows.add(new Row("per-event cost, batch " + b, portName(p) + " vs ArrayBlockingQueue offer+drainTo("
                        + b + ")", key + ":cpu", "PerEvent.abq[batch=" + b + "]:cpu", null, Stat.MEAN));
            }
        }
        return rows;
    }

    /** The report's lines, in order. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>(perEventRows());
        for (int p : threadCounts()) {
            String tg = p + "/" + p;
            for (String g : portGroups()) {
                for (String q : queues()) {
                    String goal = null;
                    if (q.equals("lbqDrain") && (p == 1 || p == 4) && g.equals(portGroups()[0])) {
                        goal = ">= 1.2";
                    } else if (q.equals("mpmc") && g.equals(portGroups()[0])) {
                        goal = ">= 0.6";
                    }
                    rows.add(new Row("throughput " + tg, portName(g) + " vs " + QUEUE_NAMES.get(q),
                            "Throughput." + g + "@" + tg, "Throughput." + q + "@" + tg, goal, Stat.MEDIAN));
                }
            }
        }
        rows.add(new Row("wake-up latency", "port_send → port_get vs ReentrantLock+Condition hand-off",
                "WakeupLatency.port", "WakeupLatency.bare", "<= 1.1", Stat.MEDIAN));
        if (mode != Mode.QUICK) {
            rows.add(new Row("tracing", "sink that drops records vs tracing off",
                    "Tracing.sendGetn[trace=drop]", "Tracing.sendGetn[trace=off]", null, Stat.MEAN));
            rows.add(new Row("tracing", "counting sink vs tracing off",
                    "Tracing.sendGetn[trace=count]", "Tracing.sendGetn[trace=off]", null, Stat.MEAN));
        }
        rows.add(new Row("tracing", "MemorySink vs tracing off",
                "Tracing.sendGetn[trace=memory]", "Tracing.sendGetn[trace=off]", "<= 1.3", Stat.MEAN));
        if (extras()) {
            for (String n : waiters()) {
                rows.add(new Row("alert fan-out", "port_alert to " + n + " waiters vs Condition.signalAll",
                        "AlertFanout.port[waiters=" + n + "]", "AlertFanout.bare[waiters=" + n + "]", null, Stat.MEDIAN));
            }
            for (String n : ports()) {
                rows.add(new Row("port_sendn", "port_sendn to " + n + " ports vs " + n + " × port_send",
                        "Sendn.sendn[ports=" + n + "]", "Sendn.sendLoop[ports=" + n + "]", null, Stat.MEAN));
                rows.add(new Row("port_sendn", "port_sendn to " + n + " ports vs " + n + " × LinkedBlockingQueue.offer",
                        "Sendn.sendn[ports=" + n + "]", "Sendn.lbq[ports=" + n + "]", null, Stat.MEAN));
            }
        }
        return rows;
    }

    // ---- running ---------------------------------------------------------------------------

    /** What a run measures, and how long. */
    private enum Kind { PAIRED, PER_EVENT, CONTENDED, SINGLE }

    private ChainedOptionsBuilder options(String include, Kind kind) {
        ChainedOptionsBuilder b = new OptionsBuilder().include(include).shouldFailOnError(true);
        switch (mode) {
            case FULL:
                b.forks(kind == Kind.CONTENDED ? 3 : 2).warmupIterations(8).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(8).measurementTime(TimeValue.seconds(1));
                break;
            case QUICK:
                // C2 needs seconds of CPU to compile the port's paths, and on a shared two-core
                // machine it gets a fraction of it: the warm-up is the larger part of the time
                if (kind == Kind.CONTENDED) {
                    b.forks(2).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                            .measurementIterations(4).measurementTime(TimeValue.milliseconds(500));
                } else if (kind == Kind.PAIRED) {
                    // both sides must be compiled by C2 before measuring: LinkedBlockingQueue's
                    // side, compiled after the port's, ran at 3-4x its cost for the first ~10 s
                    b.forks(2).warmupIterations(10).warmupTime(TimeValue.seconds(1))
                            .measurementIterations(10).measurementTime(TimeValue.milliseconds(400));
                } else {
                    b.forks(1).warmupIterations(6).warmupTime(TimeValue.seconds(1))
                            .measurementIterations(5).measurementTime(TimeValue.milliseconds(500));
                }
                break;
            default:
                b.forks(0).warmupIterations(0).measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(50));
                break;
        }
        if (mode != Mode.SMOKE) {
            b.jvmArgsAppend("-Xms1g", "-Xmx1g");
        }
        if (kind == Kind.PER_EVENT) {
            b.addProfiler(CpuTimeProfiler.class).addProfiler("gc");
        }
        if (jfrDir != null) {
            b.addProfiler("jfr", "dir=" + jfrDir);
        }
        return b;
    }

    /** Run everything; the scores are then in {@link #scores()}. */
    public void runAll() throws RunnerException, IOException {
        Files.createDirectories(logDir);
        if (mode == Mode.SMOKE) {
            // the smoke run measures nothing: it need not wait for (or fail beside) a real run's lock
            System.setProperty("jmh.ignoreLock", "true");
        }
        loadBefore = Machine.loadAverage();
        String perEvent = CALLER_LIST ? "eventports\\.bench\\.PerEvent\\." : "eventports\\.bench\\.PerEvent\\.(port|lbq|abq)$";
        run("per-event cost, paired", options("eventports\\.bench\\.PairedCost\\.", Kind.PAIRED), "", false);
        run("per-event cost", options(perEvent, Kind.PER_EVENT), "", false);
        printPerEvent(out);
        String groups = String.join("|", portGroups()) + "|" + String.join("|", queues());
        for (int p : threadCounts()) {
            ChainedOptionsBuilder b = options("eventports\\.bench\\.Throughput\\.(" + groups + ")$", Kind.CONTENDED)
                    .threadGroups(p, p);
            run("throughput " + p + "/" + p, b, "@" + p + "/" + p, true);
        }
        run("wake-up latency", options("eventports\\.bench\\.WakeupLatency\\.", Kind.CONTENDED).threads(1), "", true);
        run("tracing", options("eventports\\.bench\\.Tracing\\.", Kind.SINGLE).threads(1)
                .param("trace", traceModes()), "", true);
        if (extras()) {
            run("fan-out", options("eventports\\.bench\\.AlertFanout\\.", Kind.CONTENDED).threads(1)
                    .param("waiters", waiters()), "", true);
            run("sendn", options("eventports\\.bench\\.Sendn\\.", Kind.SINGLE).threads(1)
                    .param("ports", ports()), "", true);
        }
        loadAfter = Machine.loadAverage();
    }

    private void run(String label, ChainedOptionsBuilder b, String suffix, boolean announce) throws RunnerException {
        String log = logDir.resolve("jmh-" + label.replaceAll("[^A-Za-z0-9]+", "-") + ".log").toString();
        if (announce) {
            out.println("running " + label + " (JMH log: " + log + "; load " + Machine.loadAverage() + ")");
            out.flush();
        }
        long t0 = System.nanoTime();
        for (RunResult r : new Runner(b.output(log).build()).run()) {
            record(r, suffix);
        }
        if (announce) {
            out.printf(Locale.ROOT, "  done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    private void record(RunResult r, String suffix) {
        BenchmarkParams p = r.getParams();
        String name = p.getBenchmark().replaceFirst("^eventports\\.bench\\.", "");
        if (name.startsWith("Throughput.")) {
            // a group's benchmark is named after its group's first method; the key is the group
            name = "Throughput." + p.getBenchmark().replaceFirst("^.*\\.", "");
        }
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
        if (name.startsWith("PairedCost.")) {
            recordPaired(r, key.toString());
            return;
        }
        Result<?> res = name.startsWith("Throughput.") ? r.getSecondaryResults().get("events") : r.getPrimaryResult();
        if (res == null) {
            res = r.getPrimaryResult();
        }
        scores.put(key.toString(), score(res));
        Result<?> cpu = r.getSecondaryResults().get("cpu.time.norm");
        if (cpu != null) {
            scores.put(key + ":cpu", score(cpu));
        }
        Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
        if (alloc != null) {
            scores.put(key + ":alloc", score(alloc));
        }
    }

    /**
     * PairedCost: per iteration, the port's CPU time over LinkedBlockingQueue's (key
     * {@code :ratio}, median and quartiles over the iterations), and each side's CPU time per
     * event over the whole run ({@code :port}, {@code :lbq}).
     */
    private void recordPaired(RunResult r, String key) {
        List<Double> ratios = new ArrayList<>();
        double port = 0;
        double lbq = 0;
        double events = 0;
        for (BenchmarkResult br : r.getBenchmarkResults()) {
            for (IterationResult ir : br.getIterationResults()) {
                Map<String, Result> sec = ir.getSecondaryResults();
                double p = sec.get("portNanos").getScore();
                double l = sec.get("lbqNanos").getScore();
                if (p > 0 && l > 0) {
                    ratios.add(p / l);
                    port += p;
                    lbq += l;
                    events += sec.get("events").getScore();
                }
            }
        }
        if (ratios.isEmpty()) {
            return;
        }
        Collections.sort(ratios);
        double q1 = quantile(ratios, 0.25);
        double med = quantile(ratios, 0.5);
        double q3 = quantile(ratios, 0.75);
        scores.put(key + ":ratio", new Score(med, Double.NaN, "port/lbq", med, q1, q3, ratios.size()));
        scores.put(key + ":port", new Score(port / events, Double.NaN, "ns/event", port / events, port / events,
                port / events, ratios.size()));
        scores.put(key + ":lbq", new Score(lbq / events, Double.NaN, "ns/event", lbq / events, lbq / events,
                lbq / events, ratios.size()));
    }

    /** Linear interpolation between the closest ranks, as JMH's percentiles. */
    static double quantile(List<Double> sorted, double q) {
        double pos = q * (sorted.size() - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.size() - 1);
        return sorted.get(i) + (pos - i) * (sorted.get(j) - sorted.get(i));
    }

    private static Score score(Result<?> res) {
        Statistics s = res.getStatistics();
        boolean some = s.getN() > 0;
        return new Score(res.getScore(), res.getScoreError(), res.getScoreUnit(),
                some ? s.getPercentile(50) : res.getScore(), some ? s.getPercentile(25) : res.getScore(),
                some ? s.getPercentile(75) : res.getScore(), s.getN());
    }

    // ---- ratios --------------------------------------------------------------------------

    public List<Ratio> ratios() {
        List<Ratio> l = new ArrayList<>();
        for (Row row : rows()) {
            Ratio r = ratio(row);
            if (r != null) {
                l.add(r);
            }
        }
        return l;
    }

    Ratio ratio(Row row) {
        Score a = scores.get(row.port());
        Score b = row.base().equals(ONE) ? new Score(1, 0, "", 1, 1, 1, 1) : scores.get(row.base());
        if (a == null || b == null) {
            return null;
        }
        double ratio = a.value(row.stat()) / b.value(row.stat());
        double ea = a.error() / a.score();
        double eb = b.error() / b.score();
        double err = ratio * Math.sqrt(ea * ea + eb * eb);
        double lo = a.q1() / b.q3();
        double hi = a.q3() / b.q1();
        Boolean met = null;
        if (row.goal() != null && Double.isFinite(ratio)) {
            double bound = Double.parseDouble(row.goal().substring(3));
            met = row.goal().startsWith(">=") ? ratio >= bound : ratio <= bound;
        }
        return new Ratio(row, a, b, ratio, err, Math.min(lo, hi), Math.max(lo, hi), met);
    }

    static String verdict(Ratio r) {
        if (r.met() == null) {
            return "";
        }
        double bound = Double.parseDouble(r.row().goal().substring(3));
        String v = "goal " + r.row().goal().replace(">=", "≥").replace("<=", "≤") + ": " + (r.met() ? "met" : "MISSED");
        boolean within = r.row().stat() == Stat.MEDIAN ? r.lo() <= bound && bound <= r.hi()
                : !Double.isNaN(r.error()) && Math.abs(r.ratio() - bound) <= r.error();
        if (within) {
            v += r.row().stat() == Stat.MEDIAN ? " (within spread)" : " (within error)";
        }
        return v;
    }

    /**
     * The lines that begin with {@code per-event cost}: per batch size, the port's CPU time per
     * event, the queues', the ratios with their errors and the wall-clock ratio; then the
     * allocation per event.
     */
    public List<String> perEventLines() {
        List<String> lines = new ArrayList<>();
        for (String b : new String[] {"64", "1"}) {
            String p = CALLER_LIST ? "portList" : "port";
            Score paired = scores.get("PairedCost.paired[batch=" + b + "]:ratio");
            Ratio lbq = ratio(new Row("", "", "PerEvent." + p + "[batch=" + b + "]:cpu",
                    "PerEvent.lbq[batch=" + b + "]:cpu", null, Stat.MEAN));
            Ratio abq = ratio(new Row("", "", "PerEvent." + p + "[batch=" + b + "]:cpu",
                    "PerEvent.abq[batch=" + b + "]:cpu", null, Stat.MEAN));
            Ratio wall = ratio(new Row("", "", "PerEvent." + p + "[batch=" + b + "]",
                    "PerEvent.lbq[batch=" + b + "]", null, Stat.MEAN));
            if (paired == null || lbq == null || abq == null || wall == null) {
                continue;
            }
            String verdict = "";
            if (b.equals("64")) {
                verdict = String.format(Locale.ROOT, " [goal ≤ 1.0: %s; floor 1.5: %s]",
                        paired.median() <= 1.0 ? "met" : "MISSED", paired.median() <= 1.5 ? "met" : "MISSED");
            }
            lines.add(String.format(Locale.ROOT,
                    "per-event cost, 1 thread, batch %s: port/LinkedBlockingQueue %.3f (%.3f–%.3f)%s, CPU time "
                            + "paired in each iteration (%s vs LinkedBlockingQueue offer+drainTo(%s), median of %d); "
                            + "separate runs, CPU ns/event: port %s, LinkedBlockingQueue %s, ArrayBlockingQueue %s, "
                            + "port/LBQ %s, port/ABQ %s; wall-clock port/LBQ %s",
                    b, paired.median(), paired.q1(), paired.q3(), verdict, portName(p), b, paired.n(),
                    pm(lbq.port()), pm(lbq.base()), pm(abq.base()), lbq.formatted(), abq.formatted(),
                    wall.formatted()));
        }
        StringBuilder alloc = new StringBuilder("per-event cost, allocation per event (tracing off):");
        boolean any = false;
        for (String b : new String[] {"64", "1"}) {
            for (String p : new String[] {"portList", "port", "lbq", "abq"}) {
                Score s = scores.get("PerEvent." + p + "[batch=" + b + "]:alloc");
                if (s != null) {
                    String name = p.startsWith("port") ? portName(p) : p.equals("lbq") ? "LinkedBlockingQueue"
                            : "ArrayBlockingQueue";
                    alloc.append(any ? "," : "").append(String.format(Locale.ROOT, " %s %.1f B", name, s.score()));
                    if (p.equals(CALLER_LIST ? "portList" : "port")) {
                        alloc.append(" at batch ").append(b).append(b.equals("64")
                                ? (s.score() <= 16 ? " (goal ≤ 16 B: met)" : " (goal ≤ 16 B: MISSED)") : "");
                    }
                    any = true;
                }
            }
        }
        if (any) {
            lines.add(alloc.toString());
        }
        return lines;
    }

    private static String pm(Score s) {
        return String.format(Locale.ROOT, "%.1f ± %.1f", s.score(), s.error());
    }

    void printPerEvent(PrintStream ps) {
        for (String l : perEventLines()) {
            ps.println(l);
        }
        ps.flush();
    }

    /** The ratio lines, as printed: the per-event cost first. */
    public void printRatios(PrintStream ps) {
        ps.println();
        printPerEvent(ps);
        ps.println();
        ps.println("ratios to the baseline measured in the same run (single-threaded: ± from JMH's 99.9 % errors; "
                + "contended: median (interquartile spread); throughput: port / baseline, higher is better; "
                + "times: port / baseline, lower is better)");
        String section = null;
        for (Ratio r : ratios()) {
            if (!r.row().section().equals(section)) {
                section = r.row().section();
                ps.println(section);
            }
            ps.println(String.format(Locale.ROOT, "  %-78s %22s  %s", r.row().what(), r.formatted(), verdict(r))
                    .stripTrailing());
        }
    }

    // ---- RESULTS.md ----------------------------------------------------------------------

    public String markdown(String command) {
        StringBuilder s = new StringBuilder();
        s.append("# Benchmark results (latest run)\n\n");
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
        s.append("## Per-event cost\n\n");
        for (String l : perEventLines()) {
            s.append("- ").append(l).append('\n');
        }
        s.append("\n## Ratios\n\n");
        s.append("Each port result against its baseline from the same run. Throughput rows: port / baseline "
                + "(events per µs; higher is better). Per-event, latency, tracing, fan-out and sendn rows: port time "
                + "/ baseline time (lower is better). Single-threaded rows: mean ± propagated 99.9 % error; "
                + "contended rows: median (interquartile spread).\n\n");
        s.append("| section | comparison | ratio | goal |\n|---|---|---|---|\n");
        for (Ratio r : ratios()) {
            s.append("| ").append(r.row().section()).append(" | ").append(r.row().what()).append(" | ")
                    .append(r.formatted()).append(" | ").append(verdict(r)).append(" |\n");
        }
        s.append("\n## Scores\n\n| benchmark | mean | error | median | q1 | q3 | n | unit |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Score> e : scores.entrySet()) {
            Score sc = e.getValue();
            s.append(String.format(Locale.ROOT, "| %s | %.3f | %s | %.3f | %.3f | %.3f | %d | %s |%n", e.getKey(),
                    sc.score(), Double.isNaN(sc.error()) ? "n/a" : String.format(Locale.ROOT, "%.3f", sc.error()),
                    sc.median(), sc.q1(), sc.q3(), sc.n(), sc.unit()));
        }
        s.append("\nThroughput scores are the consumers' `events` counter (events handed over per µs), "
                + "`@P/P` the producer/consumer threads; `:cpu` is CPU time per event, `:alloc` bytes allocated "
                + "per event (JMH's gc profiler).\n");
        return s.toString();
    }

    String settings() {
        switch (mode) {
            case FULL:
                return "contended: 3 forks, others 2 forks; 8 × 1 s warm-up, 8 × 1 s measurement per benchmark";
            case QUICK:
                return "paired per-event: 2 forks, 10 × 1 s warm-up, 10 × 0.4 s measurement; per-event and tracing: "
                        + "1 fork, 6 × 1 s warm-up, 5 × 0.5 s measurement; contended: 2 forks, 3 × 1 s warm-up, "
                        + "4 × 0.5 s measurement";
            default:
                return "smoke: no fork, one 50 ms iteration";
        }
    }

    static final String BEGIN = "<!-- written by ./eventports bench: begin -->";
    static final String END = "<!-- written by ./eventports bench: end -->";

    /**
     * Write the results between the markers {@link #BEGIN} and {@link #END} of {@code file},
     * keeping whatever the file holds around them (bench/RESULTS.md keeps the hand-written
     * account of issue 16 above the latest run); a file without the markers is replaced.
     */
    public void writeMarkdown(Path file, String command) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String run = BEGIN + "\n" + markdown(command) + END + "\n";
        String text = run;
        if (Files.isRegularFile(file)) {
            String old = Files.readString(file, StandardCharsets.UTF_8);
            int b = old.indexOf(BEGIN);
            int e = old.indexOf(END);
            if (b >= 0 && e > b) {
                text = old.substring(0, b) + run + old.substring(e + END.length()).replaceFirst("^\n", "");
            }
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
