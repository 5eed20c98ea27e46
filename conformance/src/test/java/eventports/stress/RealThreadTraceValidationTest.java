package eventports.stress;

import eventports.kernel.Layer;
import eventports.kernel.Profile;
import eventports.trace.FileSink;
import eventports.trace.TraceRecord;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceIo;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
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
 * exits — writes its whole trace to a file as {@code eventports stress --trace} does (FileSink),
 * the file is read back as a whole run (TraceIo.readRun: every seq once, in order), and every
 * port's whole trace goes to TLC, not a prefix (issue 14). The records are ordered by the
 * sequence number taken inside the critical section each describes, so the total order is one
 * the threads really followed. Length: {@code -Deventports.stress.tv.millis} (default 25 ms).
 */
class RealThreadTraceValidationTest {
    @ParameterizedTest
    @EnumSource(Profile.class)
    void everyPortsWholeTraceIsABehaviourOfTheSpec(Profile profile) throws Exception {
        long millis = Long.getLong("eventports.stress.tv.millis", 25);
        Path dir = Path.of("target", "stress-traces", profile.id());    // kept for `eventports trace validate`
        Files.createDirectories(dir);
        StressRun.Figures f;
        List<TraceRecord> all;
        List<Trace> traces;
        Map<String, Long> actions;
        for (int attempt = 0; ; attempt++) {
            Path file = dir.resolve("run.ndjson");
            try (FileSink sink = new FileSink(file)) {
                f = new StressRun(profile, Layer.DESCRIPTORS, 20261127L + attempt, millis, sink).run();
            }
            all = TraceIo.readRun(file);
            traces = Trace.perPort("stress-" + profile.id(), profile, StressRun.MAX_EVENTS, all);
            actions = all.stream().collect(Collectors.groupingBy(TraceRecord::action, TreeMap::new, Collectors.counting()));
            System.out.println(profile.id() + " (" + millis + " ms): " + all.size() + " records in " + traces.size()
                    + " port traces, all validated, " + f.sent() + " events sent; " + actions);
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
        // the file holds the whole run: as many records as the run made
        assertEquals(f.traceRecords(), all.size());
        List<Verdict> vs = TraceValidator.validate(traces);
        List<String> rejected = vs.stream().filter(v -> !v.accepted()).map(Verdict::report).collect(Collectors.toList());
        assertEquals(List.of(), rejected);
    }
}
