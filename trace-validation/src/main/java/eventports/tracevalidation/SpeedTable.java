package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.Timeout;
import eventports.sched.DetSched;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;

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
        DetSched sched = new DetSched();
        MemorySink sink = new MemorySink();
        PortSystem sys = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS, sched, sink);
        Proc p = sys.spawn();
        try {
            int fd = (int) sched.call("main", p::portCreate, null).value();
            int n = 0;
            while (sink.size() < records) {
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
            }
        } finally {
            sched.shutdown();
        }
        return sink.records();
    }

    /** Seconds {@code traces} take to validate (cold or warm); fails unless every trace is accepted. */
    private static double seconds(List<Trace> traces, boolean warm) {
        long t0 = System.nanoTime();
        List<Verdict> vs = TraceValidator.validate(traces, warm);
        double s = (System.nanoTime() - t0) / 1e9;
        for (Verdict v : vs) {
            if (!v.accepted()) {
                throw new IllegalStateException("the speed trace was rejected: " + v.report());
            }
        }
        return s;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * Prints the table: per size, a cold run (a fresh TLC JVM), the first warm run (the server
     * JVM is started for it) and the fastest of three more runs on the running server (a test
     * suite's or a long session's case: the server has compiled TLC's hot paths by then); one
     * trace, so one TLC run (one job). The load average is printed before and after.
     */
    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1_000, 10_000, 100_000}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("load average before: " + loadAverage() + " (" + Runtime.getRuntime().availableProcessors()
                + " cores)");
        System.out.println("| records | cold (s) | warm, server started (s) | warm, best of 3 (s) | jobs |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int size : sizes) {
            List<TraceRecord> t = trace(size);
            List<Trace> one = new ArrayList<>(List.of(
                    new Trace("speed-" + size, Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.portMaxEvents(), t)));
            double cold = seconds(one, false);
            WarmTlc.shutdown();
            double first = seconds(one, true);
            double warm = Double.MAX_VALUE;
            for (int rep = 0; rep < 3; rep++) {
                warm = Math.min(warm, seconds(one, true));
            }
            System.out.printf("| %,d | %.2f | %.2f | %.2f | 1 |%n", t.size(), cold, first, warm);
        }
        WarmTlc.shutdown();
        System.out.println("load average after: " + loadAverage());
    }
}
