package eventports.explore;

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
}
