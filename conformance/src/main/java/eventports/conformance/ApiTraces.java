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

    /**
     * Scenarios whose API-level traces the API validator does not follow yet (file names start
     * so): the FILE source's exception events (FILE_DELETE, FILE_RENAME_FROM/TO, UNMOUNTED,
     * MOUNTEDOVER: port_fop_excep sends a fresh event and drops the watch, which the file
     * system decides and the API loader cannot tell from the records). Their lock-level
     * traces are validated; ApiTraceValidationCoverageTest keeps this list honest (each is
     * still rejected).
     */
    public static final java.util.List<String> NOT_AT_API_LEVEL_YET = java.util.List.of(
            "file-exception-dropped-on-full-port", "file-hard-link-other-name-attrib", "file-mounted-over",
            "file-rename-from-and-to", "file-rmdir-delete-exception", "file-unlink-delete-exception",
            "file-unmount-removes-every-watch");

    /** True if the API validator follows this scenario's runs (see {@link #NOT_AT_API_LEVEL_YET}). */
    public static boolean atApiLevel(Path f) {
        String n = f.getFileName().toString();
        return NOT_AT_API_LEVEL_YET.stream().noneMatch(n::startsWith);
    }

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
