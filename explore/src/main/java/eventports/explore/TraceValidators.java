package eventports.explore;

import java.util.ServiceLoader;

/**
 * Finds the trace validation to plug into the search: the first {@link RunCheck} registered as
 * a service ({@code META-INF/services/eventports.explore.RunCheck}, e.g. by the model-check
 * module's TLC validator), or {@link RunCheck#NO_TRACE_VALIDATION} when none is.
 */
public final class TraceValidators {
    private TraceValidators() {
    }

    public static RunCheck load() {
        for (RunCheck c : ServiceLoader.load(RunCheck.class)) {
            return c;
        }
        return RunCheck.NO_TRACE_VALIDATION;
    }
}
