package eventports.modelcheck;

import java.util.List;

/**
 * The defects model checking found in the seed (model-check/FINDINGS.md),
 * each with the fix flag of EventPort.tla that removes it, the model that
 * reaches it and the property it violates there. Leaving exactly that fix
 * out of the corrected profile must make TLC report that property.
 */
public final class Findings {
    private Findings() {}

    /**
     * A finding; {@code also}: invariants its defect breaks on the way, which TLC may report
     * first when it checks every invariant (F14 wipes VALID on an armed association,
     * CopyFlagsInv, one step before it links the kevent twice).
     */
    public record Finding(String id, String fix, String model, String property, String title, List<String> also) {
        public Finding(String id, String fix, String model, String property, String title) {
            this(id, fix, model, property, title, List.of());
        }

        /** True if {@code violated} is this finding's property or one its defect breaks on the way. */
        public boolean explains(String violated) {
            return property.equals(violated) || also.contains(violated);
        }
    }

    /** True if some finding explains a violation of {@code violated} (the illumos profile's EXPECTED). */
    public static boolean known(String violated) {
        return ALL.stream().anyMatch(f -> f.explains(violated));
    }

    public static final List<Finding> ALL = List.of(
        new Finding("F1", "GetEtime", "close", "GetWritesInv",
            "seed port_get with a zero timeout returns 0 without an event (fixed in current illumos)"),
        new Finding("F2", "NullHead", "close", "NoNullHeadInv",
            "port_check_return_cond signals the head waiter of an empty ring (NULL dereference)"),
        new Finding("F3", "AlertReturn", "close", "NoHangInv",
            "an alerted waiter leaves without port_check_return_cond: the last close waits forever"),
        new Finding("F4", "PassWakeup", "smallnull", "NoHangInv",
            "a waiter signalled and then interrupted/timed out consumes the wake-up; the next waiter sleeps on", List.of("NoStallInv")),
        new Finding("F5", "InsertOrder", "small", "WaiterOrderInv",
            "port_queue_thread inserts a waiter wanting the most events before the last one"),
        new Finding("F6", "PushHead", "small", "FifoInv",
            "leftover events are pushed back to the tail, behind events that arrived meanwhile"),
        new Finding("F7", "CloseCopyout", "close", "NoLossInv",
            "the last retriever of a closing port drops the events it took (callbacks run, slots freed)"),
        new Finding("F8", "FlagOne", "small", "ReportedCountInv",
            "from the third engine pass a port_getn timeout reports the requested count with nothing written"),
        new Finding("F9", "ScanGen", "smallnull", "NoHangInv",
            "the port-wide PORTQ_WAIT_EVENTS bit lets one process's scan hide another's new event", List.of("NoStallInv")),
        new Finding("F10", "CloseExitWake", "close", "NoHangInv",
            "a waiter woken by close retrieves instead of leaving; nobody wakes the next waiter or the closer"),
        new Finding("F11", "PassOn", "ringnull", "NoHangInv",
            "the head waiter, retrying, cannot use W2's wake-up and sleeps again; a waiter behind it that could is never woken", List.of("NoStallInv")),
        new Finding("F12", "PollwkdoneClose", "poll", "NoHangInv",
            "port_pollwkdone signals port_cv, not portq_closecv on which a last close waits for PORTQ_POLLWK_PEND: the closer sleeps for good"),
        new Finding("F13", "AssocPollwkup", "poll", "NoStrandedPollerInv",
            "an FD event queued by port_associate_fd's own VOP_POLL does not wake the port's pollers (port_send_event leaves FD events to pollwakeup)"),
        new Finding("F14", "CopyDoneq", "window", "OneListInv",
            "port_copy_event clears DONEQ with no lock held while another process's callback runs: the owner's re-association"
                + " re-queues the event, and the denial links it into the temp list too", List.of("CopyFlagsInv")));
}
