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
 * profiles: a violation is a failure. <em>Intended</em> properties (semantics.md §19 items
 * 6-10: what the seed's comments and the man pages promise) are broken by the seed's known
 * defects: in {@code illumos} a violation is counted as KNOWN; in {@code corrected} it is a
 * FAILURE — or PENDING while a fix it needs is missing from {@link Fix} (so the corrected-profile
 * checks harden by themselves as the fixes land).
 */
public enum Property {
    BROKEN(true, "no unchecked exception, unsupported op, runner or driver fault"),
    RESULT(true, "every call returns a result semantics.md allows for it (§8 shapes, §17 errnos)"),
    TRACE_CONSISTENCY(true, "a call returns exactly the events its trace delivered, and sends what it reports"),
    EVENT_ONCE(true, "every sent event is delivered at most once, to a process that may see it"),
    ACCOUNTING(true, "sent = delivered + still queued + discarded on a documented path"),
    TRACE_VALIDATION(true, "the run's trace is a behaviour of the specification"),
    PANIC(false, "no seed crash (NULL dereference, port.c:1720)", "NullHead"),
    LOST(false, "no event is lost by the last thread out of a closing port (§6.6.4, §19 item 2)", "CloseCopyout"),
    REPORTED_COUNT(false, "port_getn's count equals the events it wrote, also on ETIME (§19 item 10)", "FlagOne"),
    FIFO(false, "events are delivered in the order they were sent (§19 item 9)", "PushHead"),
    STRANDED_WAITER(false, "no waiter sleeps while deliverable events sit in the queue and nobody retrieves,"
            + " nor while the port is in alert mode (§19 item 7)", "PassWakeup", "ScanGen", "InsertOrder", "AlertReturn",
            "PassOn"),
    CLOSE_HANG(false, "a last close terminates (§19 item 8)", "CloseExitWake", "NullHead", "AlertReturn"),
    STUCK(false, "no thread waits for PORTQ_BLOCKED, f_tlock or a free slot that nobody holds");

    /** How a violation counts in a profile. */
    public enum Verdict { FAILURE, KNOWN, PENDING }

    private final boolean safety;
    private final String description;
    private final List<String> fixes;

    Property(boolean safety, String description, String... fixes) {
        this.safety = safety;
        this.description = description;
        this.fixes = List.of(fixes);
    }

    public boolean safety() {
        return safety;
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
