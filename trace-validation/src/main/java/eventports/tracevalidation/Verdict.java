package eventports.tracevalidation;

import java.util.List;

/**
 * The validator's answer for one trace. A rejection names the first record no behaviour of
 * the spec can match (1-based index and its text), the spec state(s) reached just before it,
 * and the spec actions enabled there. An {@code error} (not null) is neither: the trace could
 * not be validated, and why (RunSplit: a port too long to validate whole whose segment was
 * rejected at its cut).
 */
public record Verdict(String id, boolean accepted, int records, int firstRejected, String rejectedRecord,
                      List<String> statesBefore, List<String> enabledActions, String error) {

    /** An acceptance, or a rejection at {@code firstRejected}. */
    public Verdict(String id, boolean accepted, int records, int firstRejected, String rejectedRecord,
                   List<String> statesBefore, List<String> enabledActions) {
        this(id, accepted, records, firstRejected, rejectedRecord, statesBefore, enabledActions, null);
    }

    public String report() {
        if (error != null) {
            return "ERROR " + id + ": " + error;
        }
        if (accepted) {
            return "ACCEPT " + id + " (" + records + " records)";
        }
        StringBuilder b = new StringBuilder("REJECT ").append(id).append(": record ").append(firstRejected)
                .append(" of ").append(records).append(" matches no behaviour of the spec\n  record: ")
                .append(rejectedRecord).append('\n');
        for (String s : statesBefore) {
            b.append("  state before it: ").append(s).append('\n');
        }
        b.append("  enabled spec actions there: ").append(enabledActions.isEmpty() ? "none" : enabledActions);
        return b.toString();
    }
}
