package eventports.mutation;

import eventports.conformance.Scenario;
import eventports.conformance.ScenarioRun;
import eventports.kernel.Profile;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The corpus scenarios whose traces PIT validates against every mutant of the tracing code
 * (TracedScenariosTest), and the record shapes by which they were chosen.
 *
 * Why a sample: only trace validation sees a mutant of the code that runs while tracing (a
 * record left out, a field changed, a {@code tracer != null} guard negated), and PIT runs every
 * covering test of a mutant that survives. Validating the whole corpus would make each survivor
 * of the engine cost minutes; a sample that emits every record shape the corpus emits covers
 * the tracing call sites at a cost of seconds. TracedSampleCoverageTest keeps the sample honest.
 */
final class TracedSample {
    static final Path CORPUS = Path.of(System.getProperty("eventports.corpus", "../conformance/scenarios"));

    /** Chosen greedily, most new shapes first, over both profiles (TracedSampleCoverageTest prints the choice). */
    static final List<String> SAMPLE = List.of(
            "file-port-close-drops-watches",
            "timeout-deadline-kept-after-denied-wakeup",
            "fd-one-cached-slot-per-association",
            "dup2-onto-open-port-portfs",
            "timer-last-close-with-queued-event",
            "alert-per-waiter-snapshot",
            "eintr-in-retry-loop",
            "finding-f12-close-misses-pollwkdone-corrected",
            "finding-f12-close-misses-pollwkdone-illumos",
            "close-evicts-dispatch-sleeper-ebadf",
            "alert-precedes-timeout-validation",
            "alert-set-update-clear-cycle",
            "file-dissociate-results",
            "getn-nget-above-max-einval",
            "noshare-other-process-waits-in-retry-loop",
            "alert-sent-events-retrievable-after-clear",
            "exit-discards-noshare-keeps-user",
            "fd-key-includes-open-file",
            "file-unmount-removes-every-watch",
            "port-poll-empty-port-ready-for-pollout",
            "port-poll-full-port-pollout-after-free",
            "timeout-getn-retry-pass-etime",
            "timeout-invalid-after-fruitless-scan",
            "finding-f11-w2-wakes-retrying-head-corrected",
            "finding-f11-w2-wakes-retrying-head-illumos",
            "alert-flagged-waiter-survives-owner-close",
            "alert-unknown-flags-behave-like-set",
            "alert-wakes-every-waiter",
            "close-last-discards-and-ebadf",
            "close-last-during-delivery-loses-events",
            "close-last-with-two-waiters-handoff",
            "close-per-process-waits-for-block",
            "dispatch-blocks-for-a-slot",
            "dup-close-one-dissociates-fd",
            "fd-port-close-per-process-drops-owned-associations",
            "fd-zero-mask-reports-only-hup-err",
            "file-owner-only-delivery",
            "file-timestamps-compared-at-association",
            "finding-f10-close-woken-retriever-corrected",
            "finding-f7-close-drops-retrieved-corrected",
            "get-blocks-until-send",
            "getn-count-query-ignores-nget-and-timeout",
            "getn-count-query-waits-for-retriever",
            "getn-nget-zero-returns-immediately",
            "port-poll-retrieval-empties-queue-then-wakes",
            "retriever-exit-w2-wakes-only-head",
            "ring-four-waiters-order",
            "sendfd-receiver-holds-port",
            "timeout-deadline-reused-across-retry",
            "timeout-invalid-checked-when-fewer-than-nget",
            "timer-child-timer-is-childs",
            "timer-one-scached-slot-per-timer",
            "timer-port-close-by-owner-drops-timer-event",
            "close-evicts-two-waiters",
            "close-last-getn-timeout-becomes-ebadfd",
            "finding-f2-close-null-head-corrected",
            "finding-f2-close-null-head-illumos",
            "finding-f4-eintr-consumes-wakeup-corrected",
            "finding-f9-scan-hides-new-event-corrected",
            "noshare-retry-pass-takes-event-sent-during-delivery",
            "close-last-fd-event-wakes-closer",
            "close-last-during-retry-pollwakeup-retry-gets-ebadfd",
            "timer-per-process-close-frees-slot-pollout",
            "limits-max-events-counts-dispatch-and-alert-free",
            "close-last-waits-for-every-allocated-send",
            "dup2-reopens-closed-number",
            "close-last-woken-by-send-waits-for-waiter"
    );

    /** A checkpoint is due after this many records of a port; 1: at every quiet allocation. */
    private static final String CHECKPOINT = "eventports.trace.checkpoint";

    /** Fields that name the thread a step woke (or "closecv"). */
    private static final Set<String> THREAD_FIELDS = Set.of("woke", "signalled", "blockwoke");

    private TracedSample() {
    }

    /** The run of one scenario file in one profile, traced at the lock level. */
    static List<TraceRecord> traced(Scenario sc, Profile p) {
        MemorySink sink = new MemorySink();
        String before = System.getProperty(CHECKPOINT);
        System.setProperty(CHECKPOINT, "1");    // the Tracer reads it when the run makes one
        ScenarioRun.Verdict v;
        try {
            v = new ScenarioRun(sc, p, sink).run();
        } finally {
            if (before == null) {
                System.clearProperty(CHECKPOINT);
            } else {
                System.setProperty(CHECKPOINT, before);
            }
        }
        if (!v.passed()) {
            throw new AssertionError(sc.name() + "[" + p.id() + "]: " + v.failure());
        }
        return sink.records();
    }

    /**
     * A record's shape: its action, each field's name, and the value of each field that names a
     * branch of the emitting code (a boolean, a string, or whether a number is 0), so that two
     * call sites of one action, or two branches of one call, have different shapes. A thread
     * a step woke counts only as "a thread": its name is the scenario's choice, not a branch.
     */
    static String shape(Profile p, TraceRecord r) {
        Map<String, String> f = new TreeMap<>();
        for (Map.Entry<String, Object> e : r.fields().entrySet()) {
            Object v = e.getValue();
            f.put(e.getKey(), THREAD_FIELDS.contains(e.getKey()) && v instanceof String t && !t.equals("closecv") ? "thread"
                    : v instanceof Boolean || v instanceof String ? String.valueOf(v)
                    : v instanceof Number n ? (n.longValue() == 0 ? "0" : "n") : "_");
        }
        return p.id() + " " + r.action() + " " + f;
    }

    static Set<String> shapes(Scenario sc) {
        Set<String> out = new TreeSet<>();
        for (Profile p : sc.profiles()) {
            for (TraceRecord r : traced(sc, p)) {
                out.add(shape(p, r));
            }
        }
        return out;
    }
}
