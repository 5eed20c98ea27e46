package eventports.tracevalidation;

import java.util.List;

/**
 * The validator's answer for one trace. A rejection names the first record no behaviour of
 * the spec can match (1-based index and its text), the spec state(s) reached just before it,
 * and the spec actions enabled there.
 */
public record Verdict(String id, boolean accepted, int records, int firstRejected, String rejectedRecord,
                      List<String> statesBefore, List<String> enabledActions) {

    public String report() {
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
