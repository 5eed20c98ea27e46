package eventports.explore;

import eventports.conformance.CallResult;
import eventports.kernel.PortEvent;
import eventports.trace.TraceRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Doctoring of a run at the seams the explorer controls, on purpose, to prove that its checks
 * and its search find bugs: an outcome doctored before the checks see it, a driver that drops
 * a step, a trace that loses records. {@link #NONE} in real use. (Deliberate mistakes in the
 * core itself are {@link eventports.kernel.CoreFault}s.)
 */
public enum RunDoctoring {
    NONE("no doctoring"),
    /** A port_getn that returned two or more events is reported without its last one. */
    DROP_EVENT("the driver drops the last event of a port_getn that returned two or more"),
    /** A port_getn that returned events is reported with its first event twice. */
    DUPLICATE_EVENT("the driver reports the first event of a port_getn twice"),
    /** A call that ended with ETIME is reported as EINTR. */
    WRONG_ERRNO("the driver reports ETIME as EINTR"),
    /** port_send steps are not executed, but recorded as having returned 0. */
    DROP_SEND("the driver drops every port_send step but records it as done"),
    /** Every other delivery's port_copy_event record is lost on the way to the sink. */
    DROP_TRACE("the trace sink loses every second port_copy_event delivery record");

    private final String description;

    RunDoctoring(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /**
     * The outcome the checks see for a step that ended with {@code r}; {@code getn} says whether
     * the step ran (or continued) a port_getn.
     */
    CallResult doctor(CallResult r, boolean getn) {
        if (r == null) {
            return null;
        }
        switch (this) {
            case DROP_EVENT:
                if (getn && r.events() != null && r.events().size() >= 2) {
                    List<PortEvent> ev = new ArrayList<>(r.events());
                    ev.remove(ev.size() - 1);
                    return new CallResult(r.kind(), r.ret(), r.errno(), r.nget(), ev, r.errors(), r.errorsWritten(),
                            r.message());
                }
                return r;
            case DUPLICATE_EVENT:
                if (getn && r.events() != null && !r.events().isEmpty() && r.kind() == CallResult.Kind.RETURNED) {
                    List<PortEvent> ev = new ArrayList<>(r.events());
                    ev.add(ev.get(0));
                    return new CallResult(r.kind(), r.ret(), r.errno(), ev.size(), ev, r.errors(), r.errorsWritten(),
                            r.message());
                }
                return r;
            case WRONG_ERRNO:
                if (r.kind() == CallResult.Kind.ERRNO && "ETIME".equals(r.errno())) {
                    return new CallResult(r.kind(), r.ret(), "EINTR", r.nget(), r.events(), r.errors(),
                            r.errorsWritten(), r.message());
                }
                return r;
            default:
                return r;
        }
    }

    /** Whether the driver skips call {@code c} and records it as having returned 0. */
    boolean skips(Program.Call c) {
        return this == DROP_SEND && c instanceof Program.Send;
    }

    /** Whether {@code r} is a record the sink may lose (it loses every second one). */
    boolean losable(TraceRecord r) {
        return this == DROP_TRACE && "port_copy_event".equals(r.action()) && "deliver".equals(r.get("outcome"));
    }
}
