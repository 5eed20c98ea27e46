package eventports.cli;

import eventports.conformance.ConformanceRunner;
import eventports.explore.Explorer;
import eventports.kernel.Profile;
import eventports.modelcheck.ChildRun;
import eventports.modelcheck.Findings;
import eventports.modelcheck.RunRequest;
import eventports.modelcheck.RunResult;
import eventports.report.Interleaving;
import eventports.report.ModelCheckStat;
import eventports.report.Report;
import eventports.report.ReportWriter;
import eventports.report.Step;
import eventports.report.SummaryRow;
import eventports.report.TimingSeries;
import eventports.report.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code eventports check}: the project in one command. Model checking of the budget's models,
 * the conformance corpus with every run's trace validated against the spec, and random
 * multi-process programs — per profile — then one summary table, and optionally a report.
 * In the illumos profile the violations FINDINGS.md lists are EXPECTED, not failures; a new one
 * is a failure. Exit status 0 iff nothing failed.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Model-check the spec, replay and trace-validate the conformance corpus, and search random"
                + " programs, in both profiles; print a summary (and write a report).")
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--profile", defaultValue = "both", converter = Args.ProfilesConverter.class, paramLabel = "P",
            description = "illumos, corrected or both (default ${DEFAULT-VALUE}).")
    List<Profile> profiles;

    /** How much of each kind of check to run. */
    enum BudgetName { small, default_, large;
        @Override
        public String toString() {
            return name().replace("_", "");
        }
    }

    @Option(names = "--budget", defaultValue = "small", converter = BudgetConverter.class,
            description = "small (a few minutes), default or large (default ${DEFAULT-VALUE}).")
    BudgetName budget;

    static final class BudgetConverter implements picocli.CommandLine.ITypeConverter<BudgetName> {
        @Override
        public BudgetName convert(String v) {
            for (BudgetName b : BudgetName.values()) {
                if (b.toString().equals(v)) {
                    return b;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("expected small, default or large, got '" + v + "'");
        }
    }

    @Option(names = "--report", paramLabel = "DIR", description = "Write index.html and index.md with diagrams into DIR.")
    Path report;

    @Option(names = "--corpus", paramLabel = "DIR", description = "Scenario directories (default: conformance/scenarios).")
    List<Path> corpus;

    private final List<SummaryRow> rows = new ArrayList<>();
    private final List<ModelCheckStat> mcStats = new ArrayList<>();
    private final List<Interleaving> pictures = new ArrayList<>();
    private final List<TimingSeries> timings = new ArrayList<>();

    /**
     * The models to check, those of them checked for invariants only (the temporal properties
     * of those run in mvn verify: ProfilesTest), and the random programs per profile.
     */
    record Budget(List<String> models, java.util.Set<String> invariantsOnly, int programs) {
    }

    static Budget budget(String name) {
        switch (name) {
            // the layer model (the descriptor layer on) for invariants only, within the small budget's time
            case "small": return new Budget(List.of("small", "close", "fd", "poll", "layer", "window"), java.util.Set.of("layer"),
                    200);
            case "default": return new Budget(List.of("small", "close", "ring", "fd", "poll", "layer", "window", "default"),
                    java.util.Set.of(), 1000);
            case "large": return new Budget(List.of("small", "close", "ring", "fd", "poll", "layer", "window", "default",
                    "large"), java.util.Set.of(), 10000);
            default: throw new IllegalArgumentException("unknown budget " + name + " (small, default, large)");
        }
    }

    @Override
    public Integer call() throws Exception {
        Args.outputDir(spec, report, "--report");
        if (corpus != null) {
            for (Path c : corpus) {
                Args.require(spec, java.nio.file.Files.isDirectory(c), "--corpus: " + c + " is not a directory");
            }
        }
        Budget b = budget(budget.toString());
        long t0 = System.nanoTime();
        for (Profile p : profiles) {
            for (String m : b.models()) {
                modelCheck(m, p, b.invariantsOnly().contains(m));
            }
        }
        conformance(profiles);
        explore(profiles, b.programs());
        printSummary((System.nanoTime() - t0) / 1e9);
        if (report != null) {
            Path index = ReportWriter.write(new Report("eventports check (" + budget + " budget)", Instant.now(),
                    List.of("Profiles: " + profiles.stream().map(Profile::id).collect(Collectors.joining(", ")),
                            "EXPECTED marks a violation listed in model-check/FINDINGS.md (the illumos profile)."),
                    rows, mcStats, timings, pictures), report);
            System.out.println("report: " + index);
        }
        return rows.stream().anyMatch(r -> r.verdict() == Verdict.FAIL) ? 1 : 0;
    }

    private void modelCheck(String model, Profile p, boolean invariantsOnly) throws Exception {
        RunRequest req = new RunRequest();
        req.model = model;
        req.profile = p.id();
        req.workers = 2;
        req.invariantsOnly = invariantsOnly;
        progress("model checking " + model + " [" + p.id() + "]");
        long t0 = System.nanoTime();
        ChildRun.Outcome o = ChildRun.run(req, line -> {
            if (line.startsWith("progress:")) {
                progress("  " + model + " [" + p.id() + "] " + line);
            }
        });
        double s = (System.nanoTime() - t0) / 1e9;
        RunResult r = o.result;
        Verdict v;
        String counts = String.format(Locale.ROOT, "%d states, %d distinct, depth %d", r.states, r.distinct, r.depth);
        if (r.verdict == RunResult.Verdict.OK) {
            v = Verdict.PASS;
        } else if (p == Profile.ILLUMOS && Findings.known(r.violated)) {
            v = Verdict.EXPECTED;
            counts += ", violates " + r.violated + " (a known finding)";
        } else {
            v = Verdict.FAIL;
            counts += ", " + r.verdict + " " + r.violated + " " + r.message;
        }
        String what = "TLC, " + p.id() + (invariantsOnly ? ", invariants" : "");
        rows.add(new SummaryRow("model check " + model, what, v, counts, s));
        mcStats.add(new ModelCheckStat(model, p.id(), r.states, r.distinct, r.depth, s, v,
                r.violated == null ? "" : r.violated));
        if (!r.trace.isEmpty()) {
            pictures.add(new Interleaving("TLC counterexample: " + model + " violates " + r.violated, p.id(),
                    Interleaving.Kind.TLC_COUNTEREXAMPLE, "shortest behaviour TLC found", steps(r.trace)));
        }
    }

    private static final Pattern STEP = Pattern.compile("^\\s*(\\d+)\\s+(\\S+)\\s*(.*)$");
    private static final Pattern THREAD = Pattern.compile("\\b(t\\d+)\\{");

    /** A counterexample printed one step a line ("N action vars") as diagram steps. */
    static List<Step> steps(List<String> trace) {
        List<Step> out = new ArrayList<>();
        for (String l : trace) {
            Matcher m = STEP.matcher(l);
            if (!m.matches()) {
                continue;
            }
            Matcher t = THREAD.matcher(m.group(3));
            String thread = t.find() ? t.group(1) : "env";
            String detail = m.group(3).length() > 120 ? m.group(3).substring(0, 117) + "..." : m.group(3);
            out.add(Step.of(thread, 0, m.group(2), detail, null));
        }
        return out;
    }

    private void conformance(List<Profile> profiles) throws Exception {
        List<Path> dirs = corpus != null ? corpus : defaultCorpus();
        List<Path> files = ConformanceRunner.collect(dirs);
        for (Profile p : profiles) {
            progress("conformance corpus [" + p.id() + "]: " + files.size() + " files, traces validated by TLC");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            ConformanceRunner plain = new ConformanceRunner(p, new PrintStream(buf, true, StandardCharsets.UTF_8), null);
            ConformanceRunner.Summary all = plain.run(files);
            double s1 = (System.nanoTime() - t0) / 1e9;
            rows.add(new SummaryRow("conformance", "corpus replayed, " + p.id(), all.ok() ? Verdict.PASS : Verdict.FAIL,
                    all.passed() + " passed, " + all.failed() + " failed", s1));
            failures(buf);
            timings.add(new TimingSeries("conformance scenario replay, " + p.id(), "ms", plain.fileMillis()));
            t0 = System.nanoTime();
            ByteArrayOutputStream buf2 = new ByteArrayOutputStream();
            ConformanceRunner tv = new ConformanceRunner(p, new PrintStream(buf2, true, StandardCharsets.UTF_8), null)
                    .validatingTraces(true);
            ConformanceRunner.Summary vs = tv.run(files);
            double s2 = (System.nanoTime() - t0) / 1e9;
            rows.add(new SummaryRow("trace validation", "corpus runs vs spec/EventPort.tla, " + p.id(),
                    vs.ok() ? Verdict.PASS : Verdict.FAIL,
                    tv.tracesValidated() + " traces, " + tv.recordsValidated() + " records", s2));
            failures(buf2);
        }
    }

    private void explore(List<Profile> profiles, int programs) {
        Explorer.Config c = new Explorer.Config();
        c.profiles = profiles;
        c.programs = programs;
        c.seed = 20261127;
        // every run's trace goes to TLC too, a batch of runs per TLC start
        c.traceValidator = eventports.explore.TraceValidators.load();
        c.progress = null;
        progress("random programs: " + programs + " per profile, seed " + c.seed + ", traces validated by TLC");
        Explorer.Summary s = new Explorer(c).run();
        for (Explorer.ProfileSummary ps : s.profiles()) {
            rows.add(new SummaryRow("random programs", ps.programs + " programs, " + ps.profile.id(),
                    ps.failure == null ? (ps.known.isEmpty() ? Verdict.PASS : Verdict.EXPECTED) : Verdict.FAIL,
                    ps.line(), ps.seconds));
            if (ps.failure != null) {
                System.out.println(ps.failure);
            }
            if (ps.runMillis.size() > 1) {
                timings.add(new TimingSeries("random program run (deterministic runtime), " + ps.profile.id(), "ms",
                        ps.runMillis));
                timings.add(new TimingSeries("trace records per random program, " + ps.profile.id(), "records",
                        ps.runRecords));
            }
        }
    }

    private static List<Path> defaultCorpus() {
        return List.of(Path.of("conformance/scenarios"));
    }

    private static void failures(ByteArrayOutputStream buf) {
        buf.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("FAIL")).forEach(System.out::println);
    }

    private static void progress(String s) {
        System.out.println("... " + s);
        System.out.flush();
    }

    private void printSummary(double seconds) {
        System.out.println();
        System.out.printf("%-22s %-44s %-9s %8s  %s%n", "step", "what ran", "verdict", "time", "counts");
        for (SummaryRow r : rows) {
            System.out.printf(Locale.ROOT, "%-22s %-44s %-9s %7.1fs  %s%n", r.step(), r.what(), r.verdict(), r.seconds(),
                    r.counts());
        }
        boolean failed = rows.stream().anyMatch(r -> r.verdict() == Verdict.FAIL);
        System.out.printf(Locale.ROOT, "%s in %.0f s%n", failed ? "CHECK FAILED" : "CHECK PASSED", seconds);
    }
}
