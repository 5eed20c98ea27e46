package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.Timeout;
import eventports.sched.DetSched;
import eventports.trace.FileSink;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How validation time grows with trace length: traces of about 1k, 10k and 100k records (or the
 * sizes given) from one deterministic program (a sender, a blocking getter woken by it, a poller
 * taking batches), each validated cold (a fresh TLC JVM) and warm (a WarmTlc server), as
 * {@code ./eventports trace bench} prints it.
 */
public final class SpeedTable {
    private SpeedTable() {
    }

    /** A trace of at least {@code records} records. */
    public static List<TraceRecord> trace(int records) throws Exception {
        MemorySink sink = new MemorySink();
        program(records, sink, sink::size, false);
        return sink.records();
    }

    /**
     * The program, run until {@code written} says {@code records} records are out; with
     * {@code quiet}, each round ends with a send and a poll while no thread is in port_getn, a
     * moment a checkpoint can be taken at (the getter waits through every other allocation).
     */
    private static void program(long records, eventports.trace.TraceSink sink, java.util.function.LongSupplier written,
                                boolean quiet) throws Exception {
        DetSched sched = new DetSched();
        PortSystem sys = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS, sched, sink);
        Proc p = sys.spawn();
        try {
            int fd = (int) sched.call("main", p::portCreate, null).value();
            int n = 0;
            while (written.getAsLong() < records) {
                sched.call("getter", () -> p.portGet(fd, null), null);   // blocks
                int k = n++;
                sched.call("sender", () -> {
                    for (int j = 0; j < 3; j++) {
                        p.portSend(fd, j, "u" + k + "." + j);
                    }
                    return 0;
                }, null);
                sched.await("getter");
                sched.call("poller", () -> p.portGetn(fd, 8, 1, Timeout.POLL), null);
                if (quiet) {
                    sched.call("sender", () -> {
                        p.portSend(fd, 9, "q" + k);
                        return 0;
                    }, null);
                    sched.call("poller", () -> p.portGetn(fd, 8, 1, Timeout.POLL), null);
                }
            }
        } finally {
            sched.shutdown();
        }
    }

    /**
     * Sizes from here up are written to a file with a checkpoint every {@link #CHECKPOINT}
     * records and validated from it a port at a time, cut into segments ({@link RunSplit}): a
     * trace this long does not fit loaded (about 2 KB a record), and its segments go to
     * {@code jobs} TLC runs at once.
     */
    static final long ON_DISK_FROM = 2_000_000;
    static final long CHECKPOINT = 5_000;

    /** The sizes measured when none are given. */
    public static final long[] DEFAULT_SIZES = {1_000, 10_000, 100_000};

    /** The trace of at least {@code records} records in {@code file}, a checkpoint due every {@code every}; its length. */
    static long traceFile(long records, long every, Path file) throws Exception {
        String before = System.getProperty("eventports.trace.checkpoint");
        System.setProperty("eventports.trace.checkpoint", Long.toString(every));
        try (FileSink sink = new FileSink(file)) {
            program(records, sink, sink::written, true);
            return sink.written();
        } finally {
            if (before == null) {
                System.clearProperty("eventports.trace.checkpoint");
            } else {
                System.setProperty("eventports.trace.checkpoint", before);
            }
        }
    }

    /** Seconds the run in {@code file} takes to validate in segments; fails unless it is accepted. */
    private static double seconds(Path file, boolean warm, int jobs) throws java.io.IOException {
        long t0 = System.nanoTime();
        List<Verdict> vs = RunSplit.validate(file, Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.portMaxEvents(), warm, jobs,
                RunScan.budget());
        double s = (System.nanoTime() - t0) / 1e9;
        check(vs);
        return s;
    }

    /** Seconds {@code traces} take to validate (cold or warm); fails unless every trace is accepted. */
    private static double seconds(List<Trace> traces, boolean warm) {
        long t0 = System.nanoTime();
        List<Verdict> vs = TraceValidator.validate(traces, warm);
        double s = (System.nanoTime() - t0) / 1e9;
        check(vs);
        return s;
    }

    private static void check(List<Verdict> vs) {
        for (Verdict v : vs) {
            if (!v.accepted()) {
                throw new IllegalStateException("the speed trace was rejected: " + v.report());
            }
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * Prints the table: per size, the first cold run (a fresh TLC JVM; this JVM loads the
     * validator's own classes for it too, Jackson's among them, about 0.3 s), the median of three
     * more cold runs (each a fresh TLC JVM again), the first warm run (the server JVM is started
     * for it) and the fastest of three more runs on the running server (a test suite's or a long
     * session's case: the server has compiled TLC's hot paths by then); one trace, so one TLC
     * run (one job). From {@link #ON_DISK_FROM} records, the trace is validated
     * from its file in segments with {@code jobs} TLC runs at once, cold and then warm, once
     * each (a run takes minutes). The load average is printed before and after.
     */
    public static void print(java.io.PrintStream out, int jobs, long... sizes) throws Exception {
        out.println("load average before: " + loadAverage() + " (" + Runtime.getRuntime().availableProcessors()
                + " cores)");
        out.println("| records | cold, first (s) | cold, median of 3 (s) | warm, server started (s) | warm, best of 3 (s) | jobs |");
        out.println("|---:|---:|---:|---:|---:|---:|");
        for (long size : sizes) {
            if (size >= ON_DISK_FROM) {
                Path file = java.nio.file.Files.createTempFile("eventports-speed-", ".ndjson");
                try {
                    long n = traceFile(size, CHECKPOINT, file);
                    double cold = seconds(file, false, jobs);
                    WarmTlc.shutdown();
                    double first = seconds(file, true, jobs);
                    out.printf("| %,d | %.2f | — | %.2f | — | %d |%n", n, cold, first, jobs);
                } finally {
                    java.nio.file.Files.deleteIfExists(file);
                }
                continue;
            }
            List<TraceRecord> t = trace((int) size);
            List<Trace> one = new ArrayList<>(List.of(
                    new Trace("speed-" + size, Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.portMaxEvents(), t)));
            double cold = seconds(one, false);
            double[] again = new double[3];
            for (int rep = 0; rep < again.length; rep++) {
                again[rep] = seconds(one, false);
            }
            java.util.Arrays.sort(again);
            WarmTlc.shutdown();
            double first = seconds(one, true);
            double warm = Double.MAX_VALUE;
            for (int rep = 0; rep < 3; rep++) {
                warm = Math.min(warm, seconds(one, true));
            }
            out.printf("| %,d | %.2f | %.2f | %.2f | %.2f | 1 |%n", t.size(), cold, again[1], first, warm);
        }
        WarmTlc.shutdown();
        out.println("load average after: " + loadAverage());
    }

    public static void main(String[] args) throws Exception {
        long[] sizes = args.length == 0 ? DEFAULT_SIZES.clone()
                : java.util.Arrays.stream(args).mapToLong(Long::parseLong).toArray();
        print(System.out, 2, sizes);
    }
}
