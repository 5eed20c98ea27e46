package eventports.kernel;

/**
 * The defects model checking found in port.c (model-check/FINDINGS.md) and their fixes. The
 * CORRECTED profile applies all of them; the ILLUMOS profile none. Each constant is named like
 * the spec's fix flag (spec/EventPort.tla, {@code AllFixes}) and says which seed lines change.
 */
public enum Fix {
    /** NullHead — port.c:1720: port_check_return_cond signals the head waiter only if there is one. */
    NULL_HEAD,
    /** AlertReturn — port.c:1305: an alerted waiter leaves through port_check_return_cond. */
    ALERT_RETURN,
    /** PassWakeup — port.c:1715-1721: a waiter leaving without events passes a wake-up on to the head. */
    PASS_WAKEUP,
    /** InsertOrder — port.c:1825-1826: a waiter asking for the most events goes last, not before the last. */
    INSERT_ORDER,
    /** PushHead — port.c:1488: the retriever's leftover events go back in front of the queue. */
    PUSH_HEAD,
    /** CloseCopyout — port.c:1493-1499: the last thread out of a closing port returns what it collected. */
    CLOSE_COPYOUT,
    /** FlagOne — port.c:1182: {@code flag} captures only PORTGET_ONE, not PORTGET_WAIT_EVENTS. */
    FLAG_ONE,
    /** ScanGen — port.c:1255, 1318: a per-call scan generation replaces the port-wide PORTQ_WAIT_EVENTS. */
    SCAN_GEN,
    /** CloseExitWake — port.c:1501: a retriever leaving a closing port passes the closer's wake-up on. */
    CLOSE_EXIT_WAKE,
    /** PassOn — port.c:1326: a woken waiter that goes back to sleep hands the wake-up to the next waiter. */
    PASS_ON,
    /**
     * AssocPollwkup — port_fd.c port_associate_fd: an event queued by the association's own VOP_POLL
     * wakes the port's pollers (port_pollwkup, as pollwakeup does for FD events).
     */
    ASSOC_POLLWKUP,
    /** PollwkdoneClose — port_subr.c port_pollwkdone: also signal portq_closecv, which port_close_events waits on. */
    POLLWKDONE_CLOSE,
    /**
     * CopyDoneq — port.c:1594-1611 port_copy_event: a PORT_SOURCE_FD event keeps PORT_KEV_DONEQ while its
     * callback runs (no lock held) and loses it only when the callback accepts; a denial writes
     * nothing back. port_associate_fd then sees the event queued and takes it back through
     * port_remove_done_event, which waits for the retriever.
     */
    COPY_DONEQ
}
