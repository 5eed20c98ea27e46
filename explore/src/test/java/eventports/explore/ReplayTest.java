package eventports.explore;

import eventports.kernel.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;

/**
 * Every explored run is a conformance scenario: replayed by the conformance runner it passes
 * (each step's recorded outcome is what the step does), and running the same program again
 * gives the same scenario (the driver and the deterministic runtime are deterministic).
 */
class ReplayTest {
    @ParameterizedTest
    @EnumSource(Profile.class)
    void everyRunReplaysOnTheConformanceRunner(Profile profile) {
        List<Program> programs = new ArrayList<>();
        qt().withFixedSeed(99).withExamples(Budget.of(40, 2000)).forAll(Programs.programs(Programs.Bounds.RANDOM))
                .check(p -> programs.add(p));
        int n = 0;
        for (Program p : programs) {
            RunRecord r = Driver.run(p, profile, Schedule.of(p.schedule()), new Driver.Options(), "replay-" + n++);
            String replay = Failure.replay(r.scenario);
            assertNull(replay, () -> "run " + r.runId + " does not replay: " + replay + "\n" + r.scenario.toPrettyString());
            if (n % 10 == 0) {
                RunRecord again = Driver.run(p, profile, Schedule.of(p.schedule()), new Driver.Options(), r.runId);
                assertEquals(r.scenario, again.scenario, "same program, same schedule, same scenario");
            }
        }
    }
}
