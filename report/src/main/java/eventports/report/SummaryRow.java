package eventports.report;

import java.util.Objects;

/**
 * One line of the summary table: {@code step} (e.g. "model checking"), {@code what} ran
 * (e.g. "EventPort small, illumos"), the verdict, {@code counts} as the step words them
 * (e.g. "412 scenarios, 2 expected") and the wall time.
 */
public record SummaryRow(String step, String what, Verdict verdict, String counts, double seconds) {
    public SummaryRow {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(verdict, "verdict");
        what = what == null ? "" : what;
        counts = counts == null ? "" : counts;
    }
}
