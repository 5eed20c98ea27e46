package eventports.explore;

import eventports.kernel.Profile;
import org.quicktheories.api.AsString;
import org.quicktheories.core.Reporter;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.quicktheories.QuickTheory.qt;

/**
 * The random search: QuickTheories generates programs (with their schedules), the
 * {@link Driver} runs each in a profile, every {@link RunCheck} looks at the run. A failure —
 * a violation whose {@link Property.Verdict} is FAILURE in that profile, or any violation of
 * a {@link Config#target} property — stops the search; QuickTheories shrinks the program, the
 * {@link Minimizer} reduces it further, and the result is a {@link Failure}: the minimal
 * program as a conformance scenario, the seed, the first violating step. Violations that are
 * KNOWN (the seed's defects in {@code illumos}) or PENDING (a fix not in the core yet) are
 * counted, not failures.
 */
public final class Explorer {
    /** What to search. */
    public static final class Config {
        public List<Profile> profiles = List.of(Profile.ILLUMOS, Profile.CORRECTED);
        /** Programs per profile. */
        public int programs = 1000;
        public long seed = 1;
        public Programs.Bounds bounds = Programs.Bounds.RANDOM;
        public Driver.Options driver = new Driver.Options();
        /** The trace validation against the specification; batched (see {@link RunCheck#batchSize()}). */
        public RunCheck traceValidator = RunCheck.NO_TRACE_VALIDATION;
        /** Only violations of these properties count as failures (whatever their verdict); null: FAILURE verdicts. */
        public Set<Property> target;
        /** Count PENDING violations as failures. */
        public boolean strict;
        public int shrinkCycles = 400;
        public int minimizeRuns = 2000;
        /** Progress lines go here (null: none). */
        public PrintStream progress;
        public long progressMillis = 2000;

        public Config copy() {
            Config c = new Config();
            c.profiles = profiles;
            c.programs = programs;
            c.seed = seed;
            c.bounds = bounds;
            c.driver = driver.copy();
            c.traceValidator = traceValidator;
            c.target = target;
            c.strict = strict;
            c.shrinkCycles = shrinkCycles;
            c.minimizeRuns = minimizeRuns;
            c.progress = progress;
            c.progressMillis = progressMillis;
            return c;
        }

        /** Whether {@code v} is a failure in {@code profile} under this configuration. */
        public boolean isFailure(Violation v, Profile profile) {
            if (target != null) {
                return target.contains(v.property());
            }
            Property.Verdict verdict = v.property().verdict(profile);
            return verdict == Property.Verdict.FAILURE || (strict && verdict == Property.Verdict.PENDING);
        }

        List<RunCheck> checks() {
            List<RunCheck> l = new ArrayList<>(Checks.builtin());
            l.add(traceValidator);
            return l;
        }
    }

    /** What the search of one profile found. */
    public static final class ProfileSummary {
        public final Profile profile;
        public long programs;
        public long schedules;
        public long steps;
        public long traceRecords;
        public long tracesValidated;
        public long shrinkRuns;
        /** Runs showing each KNOWN / PENDING property (one count per run and property). */
        public final Map<Property, Long> known = new EnumMap<>(Property.class);
        public final Map<Property, Long> pending = new EnumMap<>(Property.class);
        /** The first run id that showed each known or pending property. */
        public final Map<Property, String> firstSeen = new EnumMap<>(Property.class);
        public Failure failure;
        public double seconds;
        /** Per searched program: the run's wall time (ms) and its trace length, for the report's statistics. */
        public final List<Double> runMillis = new ArrayList<>();
        public final List<Double> runRecords = new ArrayList<>();

        ProfileSummary(Profile profile) {
            this.profile = profile;
        }

        public double programsPerSecond() {
            return seconds <= 0 ? 0 : programs / seconds;
        }

        public String line() {
            StringBuilder b = new StringBuilder();
            b.append(profile.id()).append(": ").append(programs).append(" programs, ").append(schedules)
                    .append(" schedules, ").append(steps).append(" steps, ").append(failure == null ? 0 : 1)
                    .append(" failure(s), ").append(String.format(Locale.ROOT, "%.0f programs/s", programsPerSecond()));
            if (tracesValidated > 0) {
                b.append(", ").append(tracesValidated).append(" traces validated");
            }
            if (!known.isEmpty()) {
                b.append("; known ").append(counts(known));
            }
            if (!pending.isEmpty()) {
                b.append("; pending ").append(counts(pending));
            }
            return b.toString();
        }

        private static String counts(Map<Property, Long> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((p, n) -> b.append(b.length() > 1 ? ", " : "").append(p.id()).append(' ').append(n));
            return b.append('}').toString();
        }
    }

    /** The whole search. */
    public record Summary(List<ProfileSummary> profiles, double seconds) {
        public boolean ok() {
            return profiles.stream().allMatch(p -> p.failure == null);
        }

        public long programs() {
            return profiles.stream().mapToLong(p -> p.programs).sum();
        }

        public long schedules() {
            return profiles.stream().mapToLong(p -> p.schedules).sum();
        }

        public List<Failure> failures() {
            List<Failure> l = new ArrayList<>();
            profiles.forEach(p -> {
                if (p.failure != null) {
                    l.add(p.failure);
                }
            });
            return l;
        }
    }

    private final Config config;

    public Explorer(Config config) {
        this.config = config;
    }

    public Summary run() {
        long t0 = System.nanoTime();
        List<ProfileSummary> l = new ArrayList<>();
        for (Profile p : config.profiles) {
            l.add(search(p));
        }
        return new Summary(l, (System.nanoTime() - t0) / 1e9);
    }

    // ---- one profile ----------------------------------------------------------------------

    private final class Search {
        final Profile profile;
        final ProfileSummary sum;
        final List<RunCheck> checks = config.checks();
        final List<RunRecord> batch = new ArrayList<>();
        final Map<String, Program> batchPrograms = new HashMap<>();
        long t0 = System.nanoTime();
        long lastProgress = System.nanoTime();
        /** Once a failure is seen, only that property counts (so shrinking does not slide to another). */
        Property locked;
        boolean searching = true;
        Program deferred;
        Violation deferredViolation;
        int n;

        Search(Profile profile) {
            this.profile = profile;
            this.sum = new ProfileSummary(profile);
        }

        String runId() {
            return "explore-" + profile.id() + "-s" + config.seed + "-" + (++n);
        }

        /** The property QuickTheories checks: true if the run shows no failure. */
        boolean holds(Program p) {
            if (deferred != null) {
                return true; // a batched check already found a failure: finish quickly
            }
            long started = System.nanoTime();
            RunRecord r = Driver.run(p, profile, Schedule.of(p.schedule()), config.driver, runId());
            if (searching) {
                sum.programs++;
                sum.runMillis.add((System.nanoTime() - started) / 1e6);
                sum.runRecords.add((double) r.trace.size());
            } else {
                sum.shrinkRuns++;
            }
            sum.schedules++;
            sum.steps += r.steps.size();
            sum.traceRecords += r.trace.size();
            List<Violation> vs = new ArrayList<>();
            for (RunCheck c : checks) {
                if (c.batchSize() <= 1) {
                    vs.addAll(c.check(List.of(r)));
                    if (c == config.traceValidator && c != RunCheck.NO_TRACE_VALIDATION) {
                        sum.tracesValidated++;
                    }
                }
            }
            boolean failed = account(r, vs);
            if (searching && !failed) {
                batch(r, p);
            }
            progress();
            if (failed && searching) {
                searching = false;
            }
            return !failed;
        }

        /** Count known / pending violations; decide whether the run fails. */
        boolean account(RunRecord r, List<Violation> vs) {
            boolean failed = false;
            Set<Property> seen = new LinkedHashSet<>();
            for (Violation v : vs) {
                if (config.isFailure(v, profile) && (locked == null || locked == v.property())) {
                    failed = true;
                    if (locked == null) {
                        locked = v.property();
                    }
                }
                seen.add(v.property());
            }
            if (searching) {
                for (Property p : seen) {
                    Property.Verdict verdict = p.verdict(profile);
                    if (verdict == Property.Verdict.KNOWN) {
                        sum.known.merge(p, 1L, Long::sum);
                        sum.firstSeen.putIfAbsent(p, r.runId);
                    } else if (verdict == Property.Verdict.PENDING) {
                        sum.pending.merge(p, 1L, Long::sum);
                        sum.firstSeen.putIfAbsent(p, r.runId);
                    }
                }
            }
            return failed;
        }

        void batch(RunRecord r, Program p) {
            boolean any = false;
            for (RunCheck c : checks) {
                any |= c.batchSize() > 1;
            }
            if (!any) {
                return;
            }
            batch.add(r);
            batchPrograms.put(r.runId, p);
            int size = Integer.MAX_VALUE;
            for (RunCheck c : checks) {
                if (c.batchSize() > 1) {
                    size = Math.min(size, c.batchSize());
                }
            }
            if (batch.size() >= size) {
                flush();
            }
        }

        void flush() {
            if (batch.isEmpty()) {
                return;
            }
            for (RunCheck c : checks) {
                if (c.batchSize() > 1) {
                    List<Violation> vs = c.check(List.copyOf(batch));
                    if (c == config.traceValidator && c != RunCheck.NO_TRACE_VALIDATION) {
                        sum.tracesValidated += batch.size();
                    }
                    for (Violation v : vs) {
                        if (deferred == null && config.isFailure(v, profile)) {
                            deferred = batchPrograms.get(v.runId());
                            deferredViolation = v;
                            locked = v.property();
                        }
                    }
                }
            }
            batch.clear();
            batchPrograms.clear();
        }

        void progress() {
            if (config.progress == null) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastProgress >= config.progressMillis * 1_000_000L) {
                lastProgress = now;
                sum.seconds = (now - t0) / 1e9;
                config.progress.println("  " + sum.line() + (searching ? "" : " [shrinking]"));
                config.progress.flush();
            }
        }
    }

    private ProfileSummary search(Profile profile) {
        Search s = new Search(profile);
        Capture capture = new Capture();
        try {
            // QuickTheories runs fewer examples than asked when it draws a program it has already
            // tried; further rounds (seed + round) make up the difference, so N programs means N
            for (int round = 0; round < 20; round++) {
                int left = (int) (config.programs - s.sum.programs);
                if (left <= 0 || capture.smallest != null || s.deferred != null) {
                    break;
                }
                qt().withFixedSeed(config.seed + round)
                        .withExamples(left)
                        .withShrinkCycles(config.shrinkCycles)
                        .withGenerateAttempts(100)
                        .withReporter(capture)
                        .forAll(Programs.programs(config.bounds))
                        .check(s::holds);
            }
        } finally {
            s.searching = false;
        }
        s.flush();
        s.sum.seconds = (System.nanoTime() - s.t0) / 1e9;
        Program failing = null;
        if (capture.smallest instanceof Program) {
            failing = (Program) capture.smallest;
        } else if (s.deferred != null) {
            failing = s.deferred;
        }
        if (failing != null) {
            Property prop = s.locked;
            Minimizer m = new Minimizer(profile, config, prop);
            Program minimal = m.minimize(failing);
            s.sum.shrinkRuns += m.runs();
            s.sum.failure = Failure.of(profile, prop, failing, minimal, config, capture.examples, m.runs());
        }
        s.sum.seconds = (System.nanoTime() - s.t0) / 1e9;
        for (RunCheck c : config.checks()) {
            c.close();
        }
        return s.sum;
    }

    /** Receives QuickTheories' verdict instead of letting it throw. */
    private static final class Capture implements Reporter {
        Object smallest;
        int examples;

        @Override
        public void falisification(long seed, int examplesUsed, Object smallest, Throwable cause,
                                   List<Object> examples, AsString<Object> toString) {
            this.smallest = smallest;
            this.examples = examplesUsed;
        }

        @Override
        public void falisification(long seed, int examplesUsed, Object smallest, List<Object> examples,
                                   AsString<Object> toString) {
            this.smallest = smallest;
            this.examples = examplesUsed;
        }

        @Override
        public void valuesExhausted(int examples) {
        }
    }

    /** Run a program once and give every violation (all checks, batches of one). */
    public static List<Violation> violations(RunRecord r, Config config) {
        List<Violation> vs = new ArrayList<>();
        for (RunCheck c : config.checks()) {
            vs.addAll(c.check(List.of(r)));
        }
        vs.sort((a, b) -> Integer.compare(a.step() == 0 ? Integer.MAX_VALUE : a.step(),
                b.step() == 0 ? Integer.MAX_VALUE : b.step()));
        return vs;
    }
}
