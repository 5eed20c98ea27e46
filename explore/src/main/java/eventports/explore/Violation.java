package eventports.explore;

/**
 * A property a run broke: which, at which step of the run's scenario (1-based; 0 when it
 * concerns the whole run), the first trace record involved (its {@code seq}, or null), and what
 * happened.
 */
public record Violation(String runId, Property property, int step, Long traceSeq, String message) {

    @Override
    public String toString() {
        return property.id() + " at step " + step + (traceSeq == null ? "" : " (trace seq " + traceSeq + ")") + ": "
                + message;
    }
}
