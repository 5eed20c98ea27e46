package eventports.stress;

import eventports.kernel.Profile;
import eventports.trace.TraceRecord;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Traces of real concurrent threads are behaviours of the spec too (issue 4, "Coverage"): a
 * short {@link StressRun} on {@link eventports.sched.RealSched} — four processes sharing ports,
 * senders, getters with timeouts, interrupts, alerts, per-process and last closes, forks and
 * exits — keeps every record, and each port's trace goes to TLC. The records are ordered by the
 * sequence number taken inside the critical section each describes, so the total order is one
 * the threads really followed. Length: {@code -Deventports.stress.tv.millis} (default 25 ms),
 * and each port's trace is validated up to {@code -Deventports.stress.tv.maxRecords} records
 * (default 10,000: TLC's cost per record grows with the hundreds of events such a run keeps
 * queued).
 */
class RealThreadTraceValidationTest {
    @ParameterizedTest
    @EnumSource(Profile.class)
    void everyPortsTraceIsABehaviourOfTheSpec(Profile profile) throws Exception {
        // A prefix of a behaviour is a behaviour: each port's trace is validated up to a bound,
        // so that the test's time does not depend on how fast this machine ran the threads.
        int max = Integer.getInteger("eventports.stress.tv.maxRecords", 10_000);
        long millis = Long.getLong("eventports.stress.tv.millis", 25);
        StressRun.Figures f;
        List<Trace> traces;
        Map<String, Long> actions;
        for (int attempt = 0; ; attempt++) {
            eventports.trace.MemorySink memory = new eventports.trace.MemorySink();
            StressRun run = new StressRun(profile, eventports.kernel.Layer.DESCRIPTORS, 20261127L + attempt, millis, memory);
            f = run.run();
            List<TraceRecord> all = memory.records();
            traces = new java.util.ArrayList<>();
            for (Trace t : Trace.perPort("stress-" + profile.id(), profile, StressRun.MAX_EVENTS, all)) {
                traces.add(t.records().size() <= max ? t
                        : new Trace(t.id(), t.profile(), t.maxEvents(), t.records().subList(0, max)));
            }
            actions = traces.stream().flatMap(t -> t.records().stream())
                    .collect(Collectors.groupingBy(TraceRecord::action, TreeMap::new, Collectors.counting()));
            System.out.println(profile.id() + " (" + millis + " ms): " + all.size() + " records, validated "
                    + traces.stream().mapToInt(t -> t.records().size()).sum() + " in " + traces.size()
                    + " port traces, " + f.sent() + " events sent; " + actions);
            // a run this short may race no close with a sleeper: run longer until one does
            if (actions.keySet().containsAll(List.of("port_close", "cv_waituntil_sig", "fork")) || attempt == 4) {
                break;
            }
            millis *= 2;
        }
        // the run did what makes it worth validating: several threads raced on shared ports
        assertTrue(traces.size() >= 3 && f.sent() > 0, "nothing ran: " + f);
        assertTrue(actions.containsKey("port_close") && actions.containsKey("cv_waituntil_sig")
                && actions.containsKey("fork"), "no close, wait or fork in the run: " + actions.keySet());
        // kept for `./eventports trace validate --profile P target/stress-traces/P/*.ndjson`
        java.nio.file.Path dir = java.nio.file.Path.of("target", "stress-traces", profile.id());
        java.nio.file.Files.createDirectories(dir);
        for (Trace t : traces) {
            eventports.tracevalidation.TraceIo.write(dir.resolve(t.id().replace(':', '-') + ".ndjson"), t.records());
        }
        List<Verdict> vs = TraceValidator.validate(traces);
        List<String> rejected = vs.stream().filter(v -> !v.accepted()).map(Verdict::report).collect(Collectors.toList());
        assertEquals(List.of(), rejected);
    }
}
