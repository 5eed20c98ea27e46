package eventports.explore;

import eventports.kernel.Limits;
import eventports.trace.TraceRecord;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * The search's trace validation: every run's trace (per port) goes to TLC with
 * TraceEventPort, many runs per TLC start (trace-validation/README.md). Registered as the
 * {@link RunCheck} service, so {@link TraceValidators#load()} finds it.
 */
public final class TlcTraceCheck implements RunCheck {
    @Override
    public String name() {
        return "trace-validation (TLC, spec/EventPort.tla)";
    }

    @Override
    public int batchSize() {
        return 250;
    }

    @Override
    public List<Violation> check(List<RunRecord> runs) {
        List<Trace> traces = new ArrayList<>();
        List<RunRecord> owner = new ArrayList<>();
        for (RunRecord r : runs) {
            int maxEvents = r.scenario != null && r.scenario.path("limits").has("port_max_events")
                    ? r.scenario.path("limits").get("port_max_events").asInt()
                    : Limits.ILLUMOS_DEFAULTS.portMaxEvents();
            for (Trace t : Trace.perPort(r.runId, r.profile, maxEvents, r.trace)) {
                traces.add(t);
                owner.add(r);
            }
        }
        List<Violation> out = new ArrayList<>();
        if (traces.isEmpty()) {
            return out;
        }
        List<Verdict> vs = TraceValidator.validate(traces);
        for (int n = 0; n < vs.size(); n++) {
            Verdict v = vs.get(n);
            if (!v.accepted()) {
                RunRecord r = owner.get(n);
                Long seq = null;
                int step = -1;
                Property what = Property.TRACE_VALIDATION;
                List<TraceRecord> recs = traces.get(n).records();
                if (v.firstRejected() >= 1 && v.firstRejected() <= recs.size()) {
                    TraceRecord bad = recs.get(v.firstRejected() - 1);
                    seq = bad.seq();
                    step = r.stepOfSeq(seq);
                    if (closedBefore(recs.subList(0, v.firstRejected() - 1), bad)) {
                        what = Property.CLOSE_IN_FLIGHT;
                    }
                }
                out.add(new Violation(r.runId, what, step, seq, v.report()));
            }
        }
        return out;
    }

    /**
     * Whether another thread of {@code bad}'s process closed the port before it: the rejected
     * step ran on after its own process gave the port up. (The closer's own steps are not such
     * a case: a fault in the close protocol must stay a trace-validation failure.)
     */
    static boolean closedBefore(List<TraceRecord> before, TraceRecord bad) {
        for (TraceRecord t : before) {
            if (t.pid() == bad.pid() && !t.thread().equals(bad.thread()) && t.action().equals("port_close")
                    && t.fields().containsKey("count")) {
                return true;
            }
        }
        return false;
    }
}
