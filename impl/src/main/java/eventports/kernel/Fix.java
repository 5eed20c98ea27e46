package eventports.kernel;

/**
 * The defects model checking found in port.c (model-check/FINDINGS.md) and their fixes. The
 * CORRECTED profile applies all of them; the ILLUMOS profile none. Each constant is named like
 * the spec's fix flag (spec/EventPort.tla, {@code AllFixes}) and says which seed lines change.
 */
public enum Fix {
    /** NullHead — P:1720: port_check_return_cond signals the head waiter only if there is one. */
    NULL_HEAD,
    /** AlertReturn — P:1305: an alerted waiter leaves through port_check_return_cond. */
    ALERT_RETURN,
    /** PassWakeup — P:1715-1721: a waiter leaving without events passes a wake-up on to the head. */
    PASS_WAKEUP,
    /** InsertOrder — P:1825-1826: a waiter asking for the most events goes last, not before the last. */
    INSERT_ORDER,
    /** PushHead — P:1488: the retriever's leftover events go back in front of the queue. */
    PUSH_HEAD,
    /** CloseCopyout — P:1493-1499: the last thread out of a closing port returns what it collected. */
    CLOSE_COPYOUT,
    /** FlagOne — P:1182: {@code flag} captures only PORTGET_ONE, not PORTGET_WAIT_EVENTS. */
    FLAG_ONE,
    /** ScanGen — P:1255, P:1318: a per-call scan generation replaces the port-wide PORTQ_WAIT_EVENTS. */
    SCAN_GEN,
    /** CloseExitWake — P:1501: a retriever leaving a closing port passes the closer's wake-up on. */
    CLOSE_EXIT_WAKE,
    /** PassOn — P:1326: a woken waiter that goes back to sleep hands the wake-up to the next waiter. */
    PASS_ON
}
