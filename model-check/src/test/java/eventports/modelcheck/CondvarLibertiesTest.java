package eventports.modelcheck;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two liberties of condvar.c the models leave out by default (spec/README.md, "Smaller gaps"):
 * a waiter's spurious wake-up (EventPort's SpuriousWakeups: cv_waituntil_sig returns > 0 with
 * no cv_signal and the wait loop, port.c:1297-1326, runs again). With it on, the corrected
 * profile keeps every invariant on the models where waiters meet a close, an alert and a
 * retrying head (close, ring, small, alert, layer). The second liberty, a cv_signal passed on
 * at EINTR (CvSignalPassedOn), matters only where port_alloc_event_block sleeps on port_cv,
 * which takes the default model: its run is in spec/README.md.
 */
class CondvarLibertiesTest {
    @ParameterizedTest(name = "corrected profile, model {0}, spurious wake-ups")
    @ValueSource(strings = {"close", "ring", "small", "alert", "layer"})
    void theCorrectedProfileIsGreenWithSpuriousWakeUps(String model) throws Exception {
        RunRequest r = Tlc.request(model, "corrected");
        r.invariantsOnly = true;
        r.overrides.add("SpuriousWakeups <- On");
        ChildRun.Outcome o = Tlc.run(r);
        assertEquals(RunResult.Verdict.OK, o.result.verdict, model + " with spurious wake-ups:\n" + o.text());
    }
}
