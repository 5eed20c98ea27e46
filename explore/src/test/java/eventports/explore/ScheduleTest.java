package eventports.explore;

import eventports.kernel.Profile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

/**
 * Schedules: a systematic run's choices, written as schedule values, make the same run again
 * (the systematic mode's failures are minimized and reported through that), and a recorded
 * run's canonical values do too.
 */
class ScheduleTest {
    @Test
    void dfsChoicesAsValuesReplayTheSameRun() {
        List<Program> programs = new ArrayList<>();
        qt().withFixedSeed(3).withExamples(8).forAll(Programs.programs(Programs.Bounds.SMALL)).check(programs::add);
        Driver.Options o = Systematic.options();
        for (Program p : programs) {
            List<Integer> prefix = new ArrayList<>();
            for (int i = 0; i < 15 && prefix != null; i++) {
                Schedule.Dfs s = new Schedule.Dfs(prefix);
                RunRecord dfs = Driver.run(p, Profile.ILLUMOS, s, o, "dfs");
                assertEquals(s.asValues(), dfs.schedule);
                RunRecord again = Driver.run(p.withSchedule(s.asValues()), Profile.ILLUMOS,
                        Schedule.of(s.asValues()), o, "dfs");
                assertEquals(dfs.scenario, again.scenario, () -> p + "\n" + s.taken());
                prefix = s.next();
            }
        }
    }

    @Test
    void canonicalValuesReplayTheSameRun() {
        List<Program> programs = new ArrayList<>();
        qt().withFixedSeed(4).withExamples(30).forAll(Programs.programs(Programs.Bounds.RANDOM)).check(programs::add);
        for (Program p : programs) {
            Driver.Options o = new Driver.Options();
            RunRecord r = Driver.run(p, Profile.CORRECTED, Schedule.of(p.schedule()), o, "canon");
            RunRecord again = Driver.run(p.withSchedule(r.schedule), Profile.CORRECTED, Schedule.of(r.schedule), o,
                    "canon");
            assertEquals(r.scenario, again.scenario);
        }
    }
}
