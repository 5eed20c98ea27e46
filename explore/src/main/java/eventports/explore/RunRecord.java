package eventports.explore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Profile;
import eventports.trace.TraceRecord;

import java.util.List;
import java.util.Map;

/**
 * Everything one explored run left behind: the program, the profile, the scenario it became
 * (FORMAT.md, every outcome recorded as the step's {@code expect}), the trace the core emitted
 * (in {@code seq} order), the step log, every call, the state after settling and after the
 * drain, and the violations the driver itself saw (broken steps).
 */
public final class RunRecord {
    public final String runId;
    public final Profile profile;
    public final Program program;
    public final ObjectNode scenario;
    public final List<TraceRecord> trace;
    public final List<StepRecord> steps;
    public final List<CallLog> calls;
    /** Port → the core's port id (trace records' {@code port}); its descriptor number in P1 and its children. */
    public final Map<Program.Ref, Integer> portIds;
    public final Map<Program.Ref, Integer> fds;
    /** Process name → pid. */
    public final Map<String, Integer> pids;
    /** After the settle phase (null if the run was aborted or pruned). */
    public final EndState settled;
    /** After the drain and a second settle (null if aborted or pruned). */
    public final EndState last;
    /** A step ended in a seed crash or a broken outcome: nothing ran after it. */
    public final boolean aborted;
    /** The systematic mode stopped the run at a state it had explored before. */
    public final boolean pruned;
    public final List<Violation> driverViolations;
    /**
     * The choices the driver made, as canonical schedule values ({@link Schedule}): the program
     * with this schedule makes the same run. Its length is the number of values consumed.
     */
    public final List<Integer> schedule;

    RunRecord(String runId, Profile profile, Program program, ObjectNode scenario, List<TraceRecord> trace,
              List<StepRecord> steps, List<CallLog> calls, Map<Program.Ref, Integer> portIds,
              Map<Program.Ref, Integer> fds, Map<String, Integer> pids, EndState settled, EndState last,
              boolean aborted, boolean pruned, List<Violation> driverViolations, List<Integer> schedule) {
        this.runId = runId;
        this.profile = profile;
        this.program = program;
        this.scenario = scenario;
        this.trace = trace;
        this.steps = steps;
        this.calls = calls;
        this.portIds = portIds;
        this.fds = fds;
        this.pids = pids;
        this.settled = settled;
        this.last = last;
        this.aborted = aborted;
        this.pruned = pruned;
        this.driverViolations = driverViolations;
        this.schedule = schedule;
    }

    /** The 1-based step whose execution emitted the record with this {@code seq}, or 0. */
    public int stepOfSeq(long seq) {
        for (StepRecord s : steps) {
            for (int i = s.traceFrom(); i < s.traceTo(); i++) {
                if (trace.get(i).seq() == seq) {
                    return s.index();
                }
            }
        }
        return 0;
    }

    public StepRecord step(int index) {
        return steps.get(index - 1);
    }

    /** The port a trace record's {@code port} id refers to, or null. */
    public Program.Ref refOfPortId(int id) {
        for (Map.Entry<Program.Ref, Integer> e : portIds.entrySet()) {
            if (e.getValue() == id) {
                return e.getKey();
            }
        }
        return null;
    }
}
