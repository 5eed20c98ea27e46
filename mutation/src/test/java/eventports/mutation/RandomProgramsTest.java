package eventports.mutation;

import eventports.explore.Explorer;
import eventports.kernel.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The random programs of explore's RandomSearchTest, cut to a budget PIT can run against every
 * mutant that survives the corpus (PIT runs all of a survivor's covering tests; 600 programs a
 * profile, traces validated by TLC, take a minute and a half there, and TLC's start alone is
 * seconds): 60 programs a profile with explore's own checks (results, events, end state,
 * liveness) and no trace validation, so the tracing code stays off, as in the corpus test.
 * The same seed as RandomSearchTest.
 */
class RandomProgramsTest {
    @ParameterizedTest
    @EnumSource(Profile.class)
    void sixtyRandomProgramsHaveNoFailure(Profile p) {
        Explorer.Config c = new Explorer.Config();
        c.profiles = List.of(p);
        c.programs = 60;
        c.seed = 20261127L;
        Explorer.ProfileSummary s = new Explorer(c).run().profiles().get(0);
        assertNull(s.failure, () -> s.failure.report());
        assertTrue(s.programs >= 54, "programs run: " + s.programs);
    }
}
