package eventports.explore;

import eventports.kernel.Fix;
import eventports.kernel.Profile;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The properties every run is checked against. <em>Safety</em> properties hold in both
 * profiles: a violation is a failure. <em>Intended</em> properties (what port.c's comments and
 * the port_get(3C) / port_getn(3C) man pages promise) are broken by the seed's known defects: in
 * {@code illumos} a violation is counted as KNOWN; in {@code corrected} it is a FAILURE — or
 * PENDING while a fix it needs is missing from {@link Fix} (so the corrected-profile checks
 * harden by themselves as the fixes land).
 *
 * <p>Each property names the operators of spec/EventPort.tla it mirrors ({@link #spec()}):
 * TLC checks the same promise on the models that the explorer checks on random runs. The
 * properties with none are the explorer's own (a call's result against the man pages, a run's
 * records against its results, the driver's health), which the spec does not state.
 */
public enum Property {
    BROKEN(true, List.of(), "no unchecked exception, unsupported op, runner or driver fault"),
    RESULT(true, List.of(), "every call returns a result illumos allows for it (the man pages' result shapes"
            + " and errnos)"),
    TRACE_CONSISTENCY(true, List.of(),
            "a call returns exactly the events its trace delivered, and sends what it reports"),
    EVENT_ONCE(true, List.of("DeliveredOnceInv", "NoshareInv"),
            "every sent event is delivered at most once, to a process that may see it"),
    ACCOUNTING(true, List.of("ConservationInv"), "sent = delivered + still queued + discarded on a documented path"),
    TRACE_VALIDATION(true, List.of("Spec"), "the run's trace is a behaviour of the specification"),
    PANIC(false, List.of("NoNullHeadInv"), "no seed crash (NULL dereference, port.c:1720)", "NullHead"),
    LOST(false, List.of("NoLossInv"), "no event is lost by the last thread out of a closing port"
            + " (port.c:1491-1500)", "CloseCopyout"),
    REPORTED_COUNT(false, List.of("ReportedCountInv"), "port_getn's count equals the events it wrote, also on"
            + " ETIME (port_getn(3C))", "FlagOne"),
    FIFO(false, List.of("FifoInv"), "events are delivered in the order they were sent (port.c:52-53,"
            + " 1472-1474)", "PushHead"),
    STRANDED_WAITER(false, List.of("NoStrandedWaiterProp", "NoHangInv", "NoStallInv"), "no waiter sleeps while deliverable"
            + " events sit in the queue and nobody retrieves, nor while the port is in alert mode"
            + " (port.c:1359-1361)", "PassWakeup", "ScanGen", "InsertOrder", "AlertReturn", "PassOn"),
    CLOSE_HANG(false, List.of("CloseTerminatesProp", "NoHangInv"), "a last close terminates (port_vnops.c"
            + " port_close)", "CloseExitWake", "NullHead", "AlertReturn"),
    STUCK(false, List.of("BlockProgressProp"),
            "no thread waits for PORTQ_BLOCKED, f_tlock or a free slot that nobody holds");

    /** How a violation counts in a profile. */
    public enum Verdict { FAILURE, KNOWN, PENDING }

    private final boolean safety;
    private final List<String> spec;
    private final String description;
    private final List<String> fixes;

    Property(boolean safety, List<String> spec, String description, String... fixes) {
        this.safety = safety;
        this.spec = spec;
        this.description = description;
        this.fixes = List.of(fixes);
    }

    public boolean safety() {
        return safety;
    }

    /**
     * The invariants ({@code *Inv}), temporal properties ({@code *Prop}) or, for trace
     * validation, the specification ({@code Spec}) of spec/EventPort.tla that this property
     * mirrors; empty for the explorer's own checks.
     */
    public List<String> spec() {
        return spec;
    }

    public String description() {
        return description;
    }

    /** The spec's fix flags (spec/EventPort.tla AllFixes) the corrected profile needs for this property. */
    public List<String> fixes() {
        return fixes;
    }

    /** Kebab-case name used in reports ("stranded-waiter"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Property ofId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The fixes of {@link #fixes()} that {@link Fix} does not have yet. */
    public List<String> missingFixes() {
        Set<String> have = Arrays.stream(Fix.values()).map(f -> norm(f.name())).collect(Collectors.toSet());
        return fixes.stream().filter(f -> !have.contains(norm(f))).collect(Collectors.toList());
    }

    private static String norm(String s) {
        return s.replace("_", "").toLowerCase(Locale.ROOT);
    }

    public Verdict verdict(Profile profile) {
        if (safety) {
            return Verdict.FAILURE;
        }
        if (profile == Profile.ILLUMOS) {
            return Verdict.KNOWN;
        }
        return missingFixes().isEmpty() ? Verdict.FAILURE : Verdict.PENDING;
    }
}
