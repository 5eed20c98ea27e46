package eventports.cli;

import eventports.explore.Explorer;
import eventports.explore.Failure;
import eventports.explore.RunDoctoring;
import eventports.explore.Programs;
import eventports.explore.Property;
import eventports.explore.Systematic;
import eventports.explore.TraceValidators;
import eventports.kernel.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code eventports explore}: property tests by search. Random programs of 1-3 processes and
 * 1-4 threads each, every call the core has, random schedules; every run checked; a failure
 * is shrunk and printed as a conformance scenario that {@code eventports conformance} replays.
 * With {@code --systematic}, small programs have every schedule explored.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = {"Search random multi-process programs and schedules for violations of the event-port"
                + " properties; print each failure, shrunk, as a replayable conformance scenario.",
                "Exit status 0 when no run fails, 1 otherwise. In the illumos profile the seed's known defects are"
                        + " counted, not failures (use --target to hunt one)."})
public final class ExploreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--programs", paramLabel = "N", description = "Programs per profile (default ${DEFAULT-VALUE}).")
    int programs = 1000;

    @Option(names = "--seed", paramLabel = "S", description = "Search seed (default: random, printed).")
    Long seed;

    @Option(names = "--profile", paramLabel = "P", defaultValue = "both", converter = Args.ProfilesConverter.class,
            description = "illumos, corrected or both (default ${DEFAULT-VALUE}).")
    List<Profile> profiles;

    @Option(names = "--systematic", description = "Explore every schedule of small programs (at most 3 threads of 3 calls).")
    boolean systematic;

    @Option(names = "--max-schedules", paramLabel = "M",
            description = "Systematic mode: schedules per program at most (default ${DEFAULT-VALUE}).")
    int maxSchedules = 2000;

    @Option(names = "--target", paramLabel = "PROPERTY", split = ",",
            description = "Count only violations of these properties as failures, known or not (e.g. panic,"
                    + " stranded-waiter, fifo, lost, close-hang).")
    List<String> target;

    @Option(names = "--strict", description = "Count violations pending a fix that is not in the core yet as failures.")
    boolean strict;

    @Option(names = "--doctoring", paramLabel = "D", hidden = true,
            description = "Doctor the explorer's own seams on purpose (drop-event, duplicate-event, wrong-errno,"
                    + " drop-send, drop-trace; RunDoctoring), to see the search find it.")
    String doctoring;

    @Option(names = "--validate-traces", description = "Validate every run's trace against the specification"
            + " (the RunCheck service on the class path; none: no validation).")
    boolean validateTraces;

    @Option(names = "--out", paramLabel = "DIR", description = "Write each failure's scenario to DIR/NAME.json.")
    Path out;

    @Option(names = "--layer", paramLabel = "L", defaultValue = "descriptors",
            description = "descriptors (stock illumos, default) or portfs (the descriptor layer off: port.c's close"
                    + " protocol on its own, where the latent findings live).")
    String layer;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintStream o = System.out;
        Args.require(spec, programs >= 1, "--programs must be at least 1, got " + programs);
        Args.require(spec, maxSchedules >= 1, "--max-schedules must be at least 1, got " + maxSchedules);
        Args.outputDir(spec, out, "--out");
        Set<Property> targets = EnumSet.noneOf(Property.class);
        for (String p : target == null ? List.<String>of() : target) {
            try {
                targets.add(Property.ofId(p.trim()));
            } catch (IllegalArgumentException e) {
                Args.require(spec, false, "--target: unknown property '" + p + "'; known: "
                        + java.util.Arrays.stream(Property.values()).map(Property::id).toList());
            }
        }
        RunDoctoring doctored = null;
        if (doctoring != null) {
            try {
                doctored = RunDoctoring.valueOf(doctoring.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                Args.require(spec, false, "--doctoring: unknown doctoring '" + doctoring + "'; known: "
                        + java.util.Arrays.stream(RunDoctoring.values()).map(d -> d.name().toLowerCase(Locale.ROOT)
                        .replace('_', '-')).toList());
            }
        }
        eventports.kernel.Layer fdLayer = null;
        try {
            fdLayer = eventports.kernel.Layer.of(layer);
        } catch (IllegalArgumentException e) {
            Args.require(spec, false, "--layer: " + e.getMessage());
        }
        long s = seed != null ? seed : System.nanoTime() & 0xffffffL;
        Explorer.Config c = new Explorer.Config();
        c.profiles = profiles;
        c.programs = programs;
        c.seed = s;
        c.strict = strict;
        c.progress = quiet ? null : o;
        if (!targets.isEmpty()) {
            c.target = targets;
        }
        if (validateTraces) {
            c.traceValidator = TraceValidators.load();
        }
        if (systematic) {
            c.driver = Systematic.options();
            c.bounds = Programs.Bounds.SMALL;
        }
        c.driver.layer = fdLayer;
        if (doctored != null) {
            c.driver.doctoring = doctored;
        }
        o.println("explore: " + (systematic ? "systematic, " + maxSchedules + " schedules per program at most, " : "")
                + programs + " programs per profile, profiles " + profiles.stream().map(Profile::id).toList()
                + ", seed " + s + (c.target == null ? "" : ", target " + target)
                + (c.driver.doctoring == RunDoctoring.NONE ? "" : ", DOCTORED: " + c.driver.doctoring.description())
                + (validateTraces ? ", trace validation: " + c.traceValidator.name() : ""));
        List<Failure> failures = new ArrayList<>();
        long runs = 0;
        long progs = 0;
        double secs = 0;
        if (systematic) {
            for (Profile p : profiles) {
                Systematic.Summary sum = Systematic.search(p, c, programs, maxSchedules);
                o.println(sum.line());
                progs += sum.programs;
                runs += sum.schedules;
                secs += sum.seconds;
                if (sum.failure != null) {
                    failures.add(sum.failure);
                }
            }
        } else {
            Explorer.Summary sum = new Explorer(c).run();
            for (Explorer.ProfileSummary p : sum.profiles()) {
                o.println(p.line());
                p.firstSeen.forEach((prop, run) -> o.println("    " + prop.id() + " (" + prop.verdict(p.profile)
                        .name().toLowerCase(Locale.ROOT) + "): first in " + run));
            }
            failures.addAll(sum.failures());
            progs = sum.programs();
            runs = sum.schedules();
            secs = sum.seconds();
        }
        for (Failure f : failures) {
            o.println();
            o.println(f.report());
            if (out != null) {
                write(f);
                o.println("  written to " + out.resolve(f.run.runId + ".json"));
            }
        }
        o.printf(Locale.ROOT, "%nprograms run %d, schedules explored %d, failures %d, %.1f programs/second (%.1f s)%n",
                progs, runs, failures.size(), secs <= 0 ? 0.0 : progs / secs, secs);
        return failures.isEmpty() ? 0 : 1;
    }

    private void write(Failure f) throws IOException {
        Files.writeString(out.resolve(f.run.runId + ".json"), f.scenarioJson() + "\n");
    }
}
