package eventports.explore;

import eventports.kernel.Profile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.quicktheories.QuickTheory.qt;

/**
 * The systematic mode: for a small program, every schedule the driver can take — depth-first
 * over its choices (which thread starts or runs next, with or without a pause in delivery,
 * when time advances, whom a signal reaches), re-running the program from the start for each
 * prefix — so that a bug needing one exact interleaving is found every time. Runs that reach
 * a state already explored (a digest of thread states, call positions, queue contents and
 * counters, waiter ring, time, budgets) stop there. Bounded by a number of schedules.
 */
public final class Systematic {
    private Systematic() {
    }

    /** Driver options for the systematic mode: one advance (10 ms or 2 s), one signal. */
    public static Driver.Options options() {
        Driver.Options o = new Driver.Options();
        o.advanceBudget = 1;
        o.interruptBudget = 1;
        o.advanceMillis = new long[] {10, 2000};
        return o;
    }

    /** The outcome of exploring one program. */
    public record Result(Program program, long schedules, long pruned, long states, boolean complete,
                         Violation violation, Program failing) {
        public boolean failed() {
            return violation != null;
        }
    }

    /**
     * Explore every schedule of {@code p} (up to {@code maxSchedules}); stop at the first run
     * with a failure. The failing run comes back as a program whose recorded schedule makes the
     * same choices ({@link Schedule.Dfs#asValues()}), for the minimizer and the report.
     */
    public static Result explore(Program p, Profile profile, Explorer.Config config, int maxSchedules) {
        Set<StateKey> seen = new HashSet<>();
        Driver.Options o = config.driver.copy();
        o.stateSpace = seen;
        List<Integer> prefix = new ArrayList<>();
        long runs = 0;
        long pruned = 0;
        Program q = p.withSchedule(List.of());
        while (prefix != null && runs < maxSchedules) {
            Schedule.Dfs s = new Schedule.Dfs(prefix);
            RunRecord r = Driver.run(q, profile, s, o, "systematic-" + runs);
            runs++;
            if (r.pruned) {
                pruned++;
            }
            for (Violation v : Explorer.violations(r, config)) {
                if (config.isFailure(v, profile)) {
                    return new Result(p, runs, pruned, seen.size(), false, v, q.withSchedule(s.asValues()));
                }
            }
            prefix = s.next();
        }
        return new Result(p, runs, pruned, seen.size(), prefix == null, null, null);
    }

    /** What a systematic search over many small programs found. */
    public static final class Summary {
        public final Profile profile;
        public long programs;
        public long schedules;
        public long pruned;
        public long complete;
        public double seconds;
        public Result failingResult;
        public Failure failure;

        Summary(Profile profile) {
            this.profile = profile;
        }

        public String line() {
            return String.format(java.util.Locale.ROOT,
                    "%s systematic: %d programs (%d explored completely), %d schedules (%d stopped at a known state),"
                            + " %d failure(s), %.2f programs/s, %.0f schedules/s",
                    profile.id(), programs, complete, schedules, pruned, failure == null ? 0 : 1,
                    seconds <= 0 ? 0 : programs / seconds, seconds <= 0 ? 0 : schedules / seconds);
        }
    }

    /**
     * Generate {@code programs} small programs ({@link Programs.Bounds#SMALL}) with
     * QuickTheories and explore each systematically; the first failure is minimized and
     * reported.
     */
    public static Summary search(Profile profile, Explorer.Config config, int programs, int maxSchedules) {
        Summary sum = new Summary(profile);
        long t0 = System.nanoTime();
        long[] last = {t0};
        qt().withFixedSeed(config.seed).withExamples(programs).withShrinkCycles(0)
                .forAll(Programs.programs(config.bounds == Programs.Bounds.RANDOM ? Programs.Bounds.SMALL : config.bounds))
                .check(p -> {
                    if (sum.failingResult != null) {
                        return true;
                    }
                    Result r = explore(p, profile, config, maxSchedules);
                    sum.programs++;
                    sum.schedules += r.schedules();
                    sum.pruned += r.pruned();
                    if (r.complete()) {
                        sum.complete++;
                    }
                    if (r.failed()) {
                        sum.failingResult = r;
                    }
                    if (config.progress != null && System.nanoTime() - last[0] > config.progressMillis * 1_000_000L) {
                        last[0] = System.nanoTime();
                        sum.seconds = (last[0] - t0) / 1e9;
                        config.progress.println("  " + sum.line());
                        config.progress.flush();
                    }
                    return true;
                });
        if (sum.failingResult != null) {
            Result r = sum.failingResult;
            Minimizer m = new Minimizer(profile, config, r.violation().property());
            Program minimal = m.minimize(r.failing());
            sum.failure = Failure.of(profile, r.violation().property(), r.failing(), minimal, config,
                    (int) sum.programs, m.runs());
        }
        sum.seconds = (System.nanoTime() - t0) / 1e9;
        return sum;
    }
}
