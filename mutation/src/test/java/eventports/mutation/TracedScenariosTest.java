package eventports.mutation;

import eventports.conformance.Scenario;
import eventports.kernel.Profile;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tracing code's tests under PIT: each scenario of TracedSample.SAMPLE is run in every
 * profile it names with a lock-level trace, and TLC (warm: one TLC JVM serves the minion's
 * runs) must accept each port's trace as a behaviour of spec/EventPort.tla. One dynamic test a
 * scenario, so that PIT runs only the scenarios that cover a mutant.
 */
class TracedScenariosTest {
    @TestFactory
    Stream<DynamicTest> sampleTracesAreBehavioursOfTheSpec() {
        return TracedSample.SAMPLE.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Scenario sc = Scenario.parse(TracedSample.CORPUS.resolve(name + ".json"));
            List<Trace> traces = new ArrayList<>();
            for (Profile p : sc.profiles()) {
                traces.addAll(Trace.perPort(name + "[" + p.id() + "]", p, sc.limits().portMaxEvents(),
                        TracedSample.traced(sc, p)));
            }
            for (Verdict v : TraceValidator.validate(traces, true)) {
                assertTrue(v.accepted(), v::report);
            }
        }));
    }
}
