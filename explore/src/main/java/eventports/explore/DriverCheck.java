package eventports.explore;

import eventports.conformance.CallResult;

import java.util.ArrayList;
import java.util.List;

/**
 * The run itself is sound: no broken step (unchecked exception, unsupported op, runner or
 * driver fault), no seed crash (the PANIC of port.c:1720), nothing left runnable or paused
 * after settling.
 */
final class DriverCheck extends PerRunCheck {
    /** The driver's own violations, every PANIC step, and any call the settle phases left runnable or paused. */
    @Override
    List<Violation> check(RunRecord r) {
        List<Violation> v = new ArrayList<>(r.driverViolations);
        for (StepRecord s : r.steps) {
            CallResult res = s.result();
            if (res != null && res.kind() == CallResult.Kind.PANIC) {
                v.add(new Violation(r.runId, Property.PANIC, s.index(), lastSeq(r, s), res.message()));
            }
        }
        for (EndState e : new EndState[] {r.settled, r.last}) {
            if (e == null) {
                continue;
            }
            for (EndState.Blocked b : e.blocked()) {
                if (b.runnable() || !b.state().equals("BLOCKED")) {
                    v.add(new Violation(r.runId, Property.BROKEN, e.step(), null, "the driver left "
                            + b.call().simThread + " " + (b.runnable() ? "runnable" : b.state().toLowerCase())
                            + " after settling"));
                }
            }
        }
        return v;
    }

    private static Long lastSeq(RunRecord r, StepRecord s) {
        return s.traceTo() > s.traceFrom() ? r.trace.get(s.traceTo() - 1).seq() : null;
    }

    @Override
    public String name() {
        return "driver";
    }
}
