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
 * How validation time grows with trace length: traces of about 1k, 10k and 100k records from one
 * deterministic program (a sender, a blocking getter woken by it, a poller taking batches), each
 * validated in a fresh TLC JVM, as {@code eventports trace bench} prints it.
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

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1_000, 10_000, 100_000}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("| records | validation (s) | records/s | verdict |");
        System.out.println("|---:|---:|---:|---|");
        for (int size : sizes) {
            List<TraceRecord> t = trace(size);
            long t0 = System.nanoTime();
            List<Verdict> vs = TraceValidator.validate(new ArrayList<>(List.of(
                    new Trace("speed-" + size, Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.portMaxEvents(), t))));
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("| %d | %.2f | %.0f | %s |%n", t.size(), s, t.size() / s,
                    vs.get(0).accepted() ? "accepted" : "REJECTED");
        }
    }
}
