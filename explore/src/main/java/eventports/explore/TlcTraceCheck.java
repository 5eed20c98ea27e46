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
                List<TraceRecord> recs = traces.get(n).records();
                if (v.firstRejected() >= 1 && v.firstRejected() <= recs.size()) {
                    seq = recs.get(v.firstRejected() - 1).seq();
                    step = r.stepOfSeq(seq);
                }
                out.add(new Violation(r.runId, Property.TRACE_VALIDATION, step, seq, v.report()));
            }
        }
        return out;
    }
}
