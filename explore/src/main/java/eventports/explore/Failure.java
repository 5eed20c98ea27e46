package eventports.explore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.conformance.Scenario;
import eventports.conformance.ScenarioException;
import eventports.conformance.ScenarioRun;
import eventports.kernel.Profile;
import eventports.trace.TraceRecord;

import java.util.List;

/**
 * A failure the search found, reduced: the original and the minimal program, the minimal
 * program's run as a conformance scenario (FORMAT.md; {@code about} names the property, the
 * profile and the seed), its first violation and — when the violation names one — the trace
 * record involved, and whether the scenario replays on the conformance runner.
 */
public final class Failure {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public final Profile profile;
    public final Property property;
    public final Program original;
    public final Program minimal;
    public final RunRecord run;
    /** The first violation of {@link #property} in the minimal run. */
    public final Violation violation;
    public final List<Violation> all;
    public final long seed;
    public final int examples;
    public final int shrinkRuns;
    /** Null if the scenario replays (PASS) on the conformance runner, else the runner's verdict. */
    public final String replay;

    private Failure(Profile profile, Property property, Program original, Program minimal, RunRecord run,
                    Violation violation, List<Violation> all, long seed, int examples, int shrinkRuns, String replay) {
        this.profile = profile;
        this.property = property;
        this.original = original;
        this.minimal = minimal;
        this.run = run;
        this.violation = violation;
        this.all = all;
        this.seed = seed;
        this.examples = examples;
        this.shrinkRuns = shrinkRuns;
        this.replay = replay;
    }

    public static Failure of(Profile profile, Property property, Program original, Program minimal, Explorer.Config config,
                      int examples, int shrinkRuns) {
        String id = "explore-" + property.id() + "-" + profile.id() + "-s" + config.seed;
        RunRecord run = Driver.run(minimal, profile, Schedule.of(minimal.schedule()), config.driver, id);
        List<Violation> all = Explorer.violations(run, config);
        Violation first = all.stream().filter(v -> v.property() == property).findFirst()
                .orElse(all.isEmpty() ? null : all.get(0));
        ObjectNode sc = run.scenario;
        sc.put("about", "explore: " + property.id() + " violated — " + property.description() + " — in profile "
                + profile.id() + "; search seed " + config.seed + "; " + (first == null ? "" : first.toString())
                + ". The program: " + minimal.describe().replace("\n", " ").replaceAll(" +", " "));
        return new Failure(profile, property, original, minimal, run, first, all, config.seed, examples, shrinkRuns,
                replay(sc));
    }

    /** Replay a scenario on the conformance runner: null if it passes, else the verdict. */
    public static String replay(ObjectNode scenario) {
        try {
            Scenario s = Scenario.fromJson(scenario, null);
            Profile p = s.profiles().get(0);
            ScenarioRun.Verdict v = new ScenarioRun(s, p, null).run();
            return v.passed() ? null : v.failure();
        } catch (ScenarioException e) {
            return "does not parse: " + e.getMessage();
        }
    }

    /** Number of steps of the minimal scenario. */
    public int steps() {
        return run.scenario.path("steps").size();
    }

    public String scenarioJson() {
        try {
            return JSON.writeValueAsString(run.scenario);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public TraceRecord record() {
        if (violation == null || violation.traceSeq() == null) {
            return null;
        }
        for (TraceRecord r : run.trace) {
            if (r.seq() == violation.traceSeq()) {
                return r;
            }
        }
        return null;
    }

    /** The report: property, profile, seed, first violation, minimal program, scenario. */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append("FAILURE [").append(profile.id()).append("] ").append(property.id()).append(": ")
                .append(property.description()).append('\n');
        b.append("  first violation: ").append(violation).append('\n');
        TraceRecord r = record();
        if (r != null) {
            b.append("  trace record: ").append(r).append('\n');
        }
        b.append("  seed ").append(seed).append(" (example ").append(examples).append(", ").append(shrinkRuns)
                .append(" shrink runs); minimal program: ").append(minimal.callCount()).append(" calls, ")
                .append(minimal.threadCount()).append(" threads, ").append(minimal.procs().size())
                .append(" process(es), ").append(steps()).append(" steps (from ").append(original.callCount())
                .append(" calls, ").append(original.threadCount()).append(" threads)\n");
        b.append("  ").append(minimal.describe().replace("\n", "\n  ")).append('\n');
        b.append("  replay: ").append(replay == null ? "the scenario passes on the conformance runner"
                : "the conformance runner says " + replay).append('\n');
        b.append("  scenario (save as a .json file and replay with ./eventports conformance FILE):\n");
        b.append(scenarioJson());
        return b.toString();
    }

    @Override
    public String toString() {
        return report();
    }
}
