package eventports.explore;

import java.util.List;

/**
 * The seam every check of a finished run goes through — the explorer's own checks and the
 * trace validation against the TLA+ specification alike. The explorer hands a check the runs
 * it has finished, at most {@link #batchSize()} at a time (so a validator that pays for a TLC
 * start can validate many traces per start); the check returns the violations it found, each
 * naming its run by {@link RunRecord#runId}. A run's trace is {@link RunRecord#trace} (every
 * record the core emitted, in {@code seq} order), its profile {@link RunRecord#profile}; a
 * validator that rejects a record reports its {@code seq} as {@link Violation#traceSeq} and
 * {@link RunRecord#stepOfSeq} as the step.
 *
 * <p>While shrinking a failure, the explorer calls a batching check with up to 64 candidate runs at a time.
 */
public interface RunCheck {
    /** A short name for reports. */
    String name();

    /** The most runs this check wants per call; 1 means "after every run". */
    default int batchSize() {
        return 1;
    }

    /** Check these runs (at most {@link #batchSize()}); return the violations found. */
    List<Violation> check(List<RunRecord> runs);

    /** Releases what the check holds (a TLC process, say). */
    default void close() {
    }

    /** The default trace validator until the specification's is plugged in: accepts everything. */
    RunCheck NO_TRACE_VALIDATION = new RunCheck() {
        @Override
        public String name() {
            return "trace-validation (none)";
        }

        @Override
        public List<Violation> check(List<RunRecord> runs) {
            return List.of();
        }
    };
}
