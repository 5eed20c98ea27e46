package eventports.report;

import java.util.List;
import java.util.Objects;

/**
 * An interleaving to draw: a TLC counterexample, a failing minimal program, a rejected trace
 * (or any recorded trace worth showing). {@code note} says what went wrong (the violated
 * property, the rejection reason); it may be empty.
 */
public record Interleaving(String title, String profile, Kind kind, String note, List<Step> steps) {

    public enum Kind {
        TLC_COUNTEREXAMPLE("TLC counterexample"),
        FAILING_PROGRAM("failing minimal program"),
        REJECTED_TRACE("rejected trace"),
        TRACE("recorded trace");

        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    public Interleaving {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(kind, "kind");
        profile = profile == null ? "" : profile;
        note = note == null ? "" : note;
        steps = List.copyOf(steps);
    }
}
