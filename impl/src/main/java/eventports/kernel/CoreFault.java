package eventports.kernel;

/**
 * Deliberate implementation mistakes, off by default, that the checkers must catch (trace
 * validation rejects the traces they produce; the property search finds programs that expose
 * them). Each is a plausible slip in porting port.c; none is a profile.
 */
public enum CoreFault {
    /** port_send_event wakes the head waiter even while a retrieval is in progress (W1 without its getn test). */
    WAKE_DURING_RETRIEVAL,
    /** The retriever's exit forgets to push leftover and denied events back (port_push_eventq skipped). */
    LOST_PUSHBACK,
    /** port_send_event does not clear PORTQ_WAIT_EVENTS, so a retrying getter never rescans. */
    WAIT_EVENTS_KEPT,
    /** port_check_return_cond forgets portq_thrcnt-- (a closer then waits forever). */
    THRCNT_LEAK,
    /** port_queue_thread appends every waiter at the tail (FIFO), ignoring the requested counts. */
    FIFO_WAITERS,
    /** port_alert also overwrites the private copy of waiters an earlier alert already flagged. */
    ALERT_OVERWRITES_SNAPSHOT
}
