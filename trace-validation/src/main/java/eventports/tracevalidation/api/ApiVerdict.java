package eventports.tracevalidation.api;

import java.util.List;

/**
 * The validator's answer for one API trace. A rejection names the first record that no
 * behaviour of the spec explains ({@code seq}, its text, why: the loader's reason or the spec's
 * port that could not go on) and the spec states every behaviour reached just before it.
 */
public record ApiVerdict(String id, boolean accepted, int records, long firstRejected, String rejectedRecord,
                         String why, List<String> statesBefore, long states) {

    public String report() {
        if (accepted) {
            return "ACCEPT " + id + " (" + records + " records, " + states + " spec states)";
        }
        StringBuilder b = new StringBuilder("REJECT ").append(id).append(": record seq ").append(firstRejected)
                .append(" of ").append(records).append(": ").append(why).append("\n  record: ").append(rejectedRecord);
        if (!statesBefore.isEmpty()) {
            b.append("\n  a state every behaviour reached before it: ").append(statesBefore.get(0));
        }
        if (statesBefore.size() > 1) {
            b.append("\n  (and ").append(statesBefore.size() - 1).append(" more states there)");
        }
        return b.toString();
    }
}
