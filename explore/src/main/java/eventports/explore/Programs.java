package eventports.explore;

import eventports.explore.Program.Call;
import eventports.explore.Program.Ref;
import eventports.explore.Program.To;
import eventports.kernel.Ports;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

import java.util.ArrayList;
import java.util.List;

/**
 * QuickTheories generators of random programs. Every draw goes through QuickTheories, so a
 * failing program shrinks: counts towards their minimum, weighted choices towards their first
 * (most ordinary) option, schedule values towards 0 ("let the program run").
 */
public final class Programs {
    private Programs() {
    }

    /** How big programs get. */
    public record Bounds(int maxProcs, int maxThreadsPerProc, int maxTotalThreads, int maxCalls, int maxSchedule) {
        /** 1-3 processes, 1-4 threads each, 1-8 calls per thread, up to 150 schedule values. */
        public static final Bounds RANDOM = new Bounds(3, 4, 12, 8, 150);
        /** The systematic mode's small programs: at most 3 threads of at most 3 calls; no schedule (enumerated). */
        public static final Bounds SMALL = new Bounds(2, 3, 3, 3, 0);
    }

    public static Gen<Program> programs(Bounds b) {
        Gen<Program> g = rs -> program(rs, b);
        return g.describedAs(Program::describe);
    }

    static Program program(RandomnessSource rs, Bounds b) {
        int ports = range(rs, 1, 2);
        boolean nonPort = weighted(rs, 4, 1) == 1;
        int maxEvents = new int[] {65536, 2, 3}[weighted(rs, 6, 1, 1)];
        int maxList = new int[] {8192, 2}[weighted(rs, 9, 1)];
        int nprocs = range(rs, 1, b.maxProcs());
        List<Program.ProcSpec> procs = new ArrayList<>();
        int threadsLeft = b.maxTotalThreads();
        int t = 1;
        for (int p = 1; p <= nprocs && threadsLeft > 0; p++) {
            int forkAt = -1;
            if (p > 1) {
                forkAt = weighted(rs, 2, 3) == 0 ? 0 : range(rs, 1, 40);
            }
            int nthreads = range(rs, 1, Math.min(b.maxThreadsPerProc(), threadsLeft));
            threadsLeft -= nthreads;
            List<Program.ThreadSpec> threads = new ArrayList<>();
            for (int i = 0; i < nthreads; i++) {
                int ncalls = range(rs, 1, b.maxCalls());
                List<Call> calls = new ArrayList<>();
                for (int k = 0; k < ncalls; k++) {
                    calls.add(call(rs));
                }
                threads.add(new Program.ThreadSpec("T" + t++, calls));
            }
            procs.add(new Program.ProcSpec("P" + p, forkAt, threads));
        }
        List<Integer> schedule = new ArrayList<>();
        if (b.maxSchedule() > 0) {
            int n = range(rs, 0, b.maxSchedule());
            for (int i = 0; i < n; i++) {
                schedule.add(range(rs, 0, Schedule.RANGE - 1));
            }
        }
        return new Program(ports, nonPort, maxEvents, maxList, procs, schedule);
    }

    /** One call, drawn from every call the core has, good and bad arguments alike. */
    static Call call(RandomnessSource rs) {
        switch (weighted(rs, 14, 5, 6, 6, 18, 18, 6, 2, 2)) {
            case 0:
                return new Program.Send(ref(rs), range(rs, 1, 3));
            case 1: {
                int n = new int[] {1, 2, 3, 0}[weighted(rs, 6, 6, 3, 1)];
                List<Ref> l = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    l.add(ref(rs));
                }
                return new Program.Sendn(l, range(rs, 1, 3));
            }
            case 2: {
                int source = new int[] {Ports.PORT_SOURCE_AIO, Ports.PORT_SOURCE_MQ, Ports.PORT_SOURCE_USER, 99}[
                        weighted(rs, 5, 3, 1, 1)];
                return new Program.Dispatch(ref(rs), source, weighted(rs, 1, 1) == 1, range(rs, 1, 3));
            }
            case 3: {
                int flags = new int[] {Ports.PORT_ALERT_SET, Ports.PORT_ALERT_UPDATE, 0, 3}[weighted(rs, 5, 3, 1, 1)];
                int events = new int[] {1, 0, 2}[weighted(rs, 5, 3, 2)];
                return new Program.Alert(ref(rs), flags, events);
            }
            case 4:
                return new Program.Get(ref(rs), timeout(rs));
            case 5: {
                int max = new int[] {1, 2, 3, 0}[weighted(rs, 4, 5, 3, 1)];
                int nget = new int[] {1, 2, 3, 0}[weighted(rs, 6, 4, 2, 1)];
                return new Program.Getn(ref(rs), max, nget, timeout(rs));
            }
            case 6:
                return new Program.Close(ref(rs));
            case 7:
                return new Program.Exit();
            default: {
                // the FD and FILE sources are not in the core yet: only sources it rejects
                int source = new int[] {Ports.PORT_SOURCE_USER, Ports.PORT_SOURCE_AIO, Ports.PORT_SOURCE_ALERT, 99}[
                        weighted(rs, 1, 1, 1, 1)];
                return weighted(rs, 2, 1) == 0 ? new Program.Associate(ref(rs), source)
                        : new Program.Dissociate(ref(rs), source);
            }
        }
    }

    private static Ref ref(RandomnessSource rs) {
        return Ref.values()[weighted(rs, 10, 3, 1, 1)];
    }

    private static To timeout(RandomnessSource rs) {
        return new To[] {To.NULL, To.ZERO, To.SHORT, To.LONG, To.BAD_NSEC, To.NEG}[weighted(rs, 6, 4, 4, 2, 1, 1)];
    }

    /** An int in [lo, hi] that shrinks towards lo. */
    static int range(RandomnessSource rs, int lo, int hi) {
        if (hi <= lo) {
            return lo;
        }
        return Generate.range(lo, hi, lo).generate(rs);
    }

    /** An index drawn with these weights; shrinks towards 0. */
    static int weighted(RandomnessSource rs, int... weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = range(rs, 0, total - 1);
        for (int i = 0; i < weights.length; i++) {
            if (x < weights[i]) {
                return i;
            }
            x -= weights[i];
        }
        return weights.length - 1;
    }
}
