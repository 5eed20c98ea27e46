package eventports.mutation;

import eventports.conformance.Scenario;
import eventports.kernel.Profile;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tracing code's tests under PIT: the scenarios of TracedSample.SAMPLE run with a
 * lock-level trace, and TLC must accept each port's trace as a behaviour of
 * spec/EventPort.tla. One dynamic test a profile, each validating its runs in one warm TLC
 * batch (WarmTlc; under PIT, SharedTlc: the run's TLC servers serve every minion): a batch costs a few seconds where a
 * TLC run per scenario costs more than a minute for the sample, and PIT pays it for every
 * mutant the faster tests leave alive. A mutant of a profile's own branch (a Fix) runs only that
 * profile's batch.
 */
class TracedScenariosTest {
    @TestFactory
    Stream<DynamicTest> sampleTracesAreBehavioursOfTheSpec() {
        return Arrays.stream(Profile.values()).map(p -> DynamicTest.dynamicTest(p.id(), () -> {
            List<Trace> traces = new ArrayList<>();
            for (String name : TracedSample.SAMPLE) {
                Scenario sc = Scenario.parse(TracedSample.CORPUS.resolve(name + ".json"));
                if (sc.profiles().contains(p)) {
                    traces.addAll(Trace.perPort(name + "[" + p.id() + "]", p, sc.limits().portMaxEvents(),
                            TracedSample.traced(sc, p)));
                }
            }
            assertFalse(traces.isEmpty());
            for (Verdict v : TraceValidator.validate(traces, true)) {
                assertTrue(v.accepted(), v::report);
            }
        }));
    }
}
