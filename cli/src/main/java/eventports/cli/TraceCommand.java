package eventports.cli;

import eventports.kernel.Profile;
import eventports.tracevalidation.SpeedTable;
import eventports.tracevalidation.RunScan;
import eventports.tracevalidation.RunSplit;
import eventports.tracevalidation.Verdict;
import eventports.tracevalidation.WarmTlc;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceIo;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.api.ApiTraceIo;
import eventports.tracevalidation.api.ApiValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code eventports trace validate [--level lock|api] FILE...}: is each NDJSON trace a behaviour
 * of the spec? The lock level checks port.c's steps one by one; the api level whether some
 * behaviour makes exactly the trace's calls and returns (trace-validation/FORMAT.md).
 */
@Command(name = "trace", mixinStandardHelpOptions = true, description = "Work with traces of the Java core.",
        subcommands = {TraceCommand.Validate.class, TraceCommand.Cost.class, TraceCommand.Bench.class})
final class TraceCommand implements Runnable {
    /** The two trace levels (trace-validation/FORMAT.md). */
    enum Level { lock, api }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "cost", mixinStandardHelpOptions = true,
            description = "What API-level validation costs against the number of calls in flight: N getters "
                    + "blocked on one port, N sends, the getters awaited; each N's trace validated in both "
                    + "profiles (trace-validation/README.md, Level api).")
    static final class Cost implements Callable<Integer> {
        @Option(names = "--rounds", defaultValue = "4", description = "Rounds per trace (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Parameters(arity = "0..*", paramLabel = "N", description = "Getters in flight (default: 1 2 4 8 16).")
        List<Integer> ns;

        @Override
        public Integer call() throws Exception {
            int[] n = ns == null || ns.isEmpty() ? new int[] {1, 2, 4, 8, 16}
                    : ns.stream().mapToInt(Integer::intValue).toArray();
            eventports.conformance.ApiCostTable.print(System.out, rounds, n);
            return 0;
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Validation time against trace length, cold (a TLC JVM per run) and warm (a running TLC "
                    + "server): a Markdown table, with the machine's load average.")
    static final class Bench implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "RECORDS", description = "Trace sizes (default: 1000 10000 100000); "
                + "from 2000000 up, the trace is written with checkpoints and validated in segments from its file.")
        List<Long> sizes = new ArrayList<>();

        @Option(names = "--jobs", defaultValue = "2", paramLabel = "N",
                description = "TLC runs at once for the sizes validated in segments (default: ${DEFAULT-VALUE}).")
        int jobs;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            for (long n : sizes) {
                Args.require(spec, n >= 1, "RECORDS must be at least 1, got " + n);
            }
            Args.require(spec, jobs >= 1, "--jobs must be at least 1, got " + jobs);
            SpeedTable.print(System.out, jobs, sizes.isEmpty() ? SpeedTable.DEFAULT_SIZES.clone()
                    : sizes.stream().mapToLong(Long::longValue).toArray());
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check NDJSON traces (trace-validation/FORMAT.md) against spec/EventPort.tla with TLC.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--profile", defaultValue = "illumos", converter = Args.ProfileConverter.class, paramLabel = "P",
                description = "The profile the run used: illumos or corrected (default: ${DEFAULT-VALUE}).")
        Profile profile;

        @Option(names = "--max-events", paramLabel = "N", description = "The run's port_max_events (default: each port's own, as its "
                + "port_create record says; else the illumos default).")
        Integer maxEventsOption;
        int maxEvents;

        @Option(names = "--level", defaultValue = "lock", paramLabel = "LEVEL",
                description = "lock: records of port.c's steps; api: calls, returns, sleeps and environment "
                        + "inputs of any implementation (TLC finds the internal steps). Default: ${DEFAULT-VALUE}.")
        Level level;

        @Option(names = "--warm", description = "Run TLC on warm servers (a JVM kept for the next run, TLC "
                + "loaded and compiled once per spec) instead of a fresh JVM per run; same verdicts.")
        boolean warm;
        @Option(names = "--servers", paramLabel = "DIR", description = "Share warm TLC servers through DIR with every other "
                + "validation that names it: they outlive this command, so the next one finds TLC loaded and compiled; "
                + "they leave after 120 s idle, or at once when DIR's port files are deleted. Implies --warm.")
        Path servers;
        @Option(names = "--jobs", paramLabel = "N", description = "TLC runs at a time; each batch of traces is split into"
                + " up to N (default: one batch per profile and layer, two at a time).")
        Integer jobs;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "NDJSON trace files.")
        List<Path> files;

        @Override
        public Integer call() {
            Args.require(spec, maxEventsOption == null || maxEventsOption >= 0,
                    "--max-events must be 0 or more, got " + maxEventsOption);
            maxEvents = maxEventsOption == null ? Trace.MAX_EVENTS_OF_THE_TRACE : maxEventsOption;
            Args.require(spec, jobs == null || (jobs >= 1 && jobs <= 256), "--jobs must be between 1 and 256, got " + jobs);
            Args.require(spec, servers == null || !Files.exists(servers) || Files.isDirectory(servers),
                    "--servers must name a directory, got the file " + servers);
            Args.require(spec, servers == null || level == Level.lock, "--servers is for --level lock (api runs TLC in this JVM)");
            if (level == Level.api) {
                return api();
            }
            if (servers == null) {
                return lock();
            }
            // for this command only: a JVM that runs several (the tests) keeps its own setting
            String before = System.getProperty(WarmTlc.SHARED_SERVERS);
            System.setProperty(WarmTlc.SHARED_SERVERS, servers.toAbsolutePath().toString());
            try {
                return lock();
            } finally {
                if (before == null) {
                    System.clearProperty(WarmTlc.SHARED_SERVERS);
                } else {
                    System.setProperty(WarmTlc.SHARED_SERVERS, before);
                }
            }
        }

        private int lock() {
            List<Trace> traces = new ArrayList<>();
            List<Row> rows = new ArrayList<>();
            long budget = RunScan.budget();
            boolean warmRuns = warm || servers != null || Boolean.getBoolean("eventports.tv.warm");
            int n = jobs == null ? 0 : jobs;
            for (Path f : files) {
                try {
                    // streamed first: a truncated or out-of-order file is named, never an OutOfMemoryError
                    long records = RunScan.check(f, Long.MAX_VALUE);
                    // a long file's prefix first: a rejection there is reported without the rest
                    List<Verdict> early = TraceValidator.probe(f, profile, maxEvents, records, warmRuns, n);
                    if (!early.isEmpty()) {
                        early.forEach(v -> rows.add(new Row(v.report() + "\n  (found in the file's first "
                                + TraceValidator.probeRecords() + " of " + records
                                + " records; the rest was not validated)", false, v.records())));
                        continue;
                    }
                    if (records > budget) {
                        // more than the heap holds loaded whole: a port (or a few small ones) at a time
                        RunSplit.validate(f, profile, maxEvents, warmRuns, n, RunScan.budget())
                                .forEach(v -> rows.add(new Row(v.report(), v.accepted(), v.records())));
                        continue;
                    }
                    budget -= records;
                    traces.addAll(Trace.perPort(f.toString(), profile, maxEvents, TraceIo.readRun(f)));
                } catch (IOException e) {
                    rows.add(unreadable(e));
                }
            }
            TraceValidator.validate(traces, warmRuns, n).forEach(v -> rows.add(new Row(v.report(), v.accepted(), v.records())));
            return summary(rows);
        }

        /** A file that cannot be read is one failed row naming it and why; the other files still run. */
        private static Row unreadable(IOException e) {
            return new Row("ERROR " + e.getMessage(), false, 0);
        }

        /** A verdict of either level, as the summary prints it. */
        private record Row(String report, boolean accepted, long records) {
        }

        /** Prints each verdict's report and the totals; returns the exit code. */
        private static int summary(List<Row> rows) {
            long bad = rows.stream().filter(r -> !r.accepted()).count();
            rows.forEach(r -> System.out.println(r.report()));
            System.out.println((rows.size() - bad) + " passed, " + bad + " failed ("
                    + rows.stream().mapToLong(Row::records).sum() + " records)");
            return bad == 0 ? 0 : 1;
        }

        /** API-level traces: one verdict per file (all its ports), the first unexplained record named. */
        private int api() {
            List<ApiValidator.ApiTrace> traces = new ArrayList<>();
            List<Row> rows = new ArrayList<>();
            for (Path f : files) {
                try {
                    traces.add(new ApiValidator.ApiTrace(f.toString(), profile, ApiTraceIo.read(f)));
                } catch (IOException e) {
                    rows.add(unreadable(e));
                }
            }
            ApiValidator.validate(traces).forEach(v -> rows.add(new Row(v.report(), v.accepted(), v.records())));
            return summary(rows);
        }
    }
}
