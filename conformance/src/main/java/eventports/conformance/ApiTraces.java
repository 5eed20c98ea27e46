package eventports.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Profile;
import eventports.tracevalidation.api.ApiTraceWriter;
import eventports.tracevalidation.api.ApiValidator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * API-level traces of the Java reference (trace-validation/FORMAT.md, "Level api"): a scenario
 * replayed with its calls, returns, sleeps and environment steps written as the runner sees
 * them (ScenarioRun's hooks).
 */
public final class ApiTraces {
    /** The implementation name in the traces' header. */
    public static final String IMPL = "java-reference";

    /** One run: the scenario's verdict and its API trace. */
    public record Run(ScenarioRun.Verdict verdict, List<ObjectNode> records) {
    }

    private ApiTraces() {
    }

    /** Replay {@code sc} in profile {@code p}, writing its API trace. */
    public static Run run(Scenario sc, Profile p) {
        ApiTraceWriter w = new ApiTraceWriter(IMPL, sc.name(), sc.limits(), sc.layer());
        ScenarioRun.Verdict v = new ScenarioRun(sc, p, null).apiTrace(w).run();
        return new Run(v, w.records());
    }

    /** The API traces of every file's runs, in every profile it names (an unparsable file is skipped). */
    public static List<ApiValidator.ApiTrace> of(List<Path> files) {
        List<ApiValidator.ApiTrace> out = new ArrayList<>();
        for (Path f : files) {
            Scenario sc;
            try {
                sc = Scenario.parse(f);
            } catch (ScenarioException e) {
                continue;
            }
            for (Profile p : sc.profiles()) {
                out.add(new ApiValidator.ApiTrace(sc.name() + "[" + p.id() + "]", p, run(sc, p).records()));
            }
        }
        return out;
    }
}
