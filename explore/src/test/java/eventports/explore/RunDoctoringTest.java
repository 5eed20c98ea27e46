package eventports.explore;

import eventports.kernel.Profile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Teeth: deliberately broken variants of the explorer's own seams (a doctored outcome, a
 * dropped step, a lossy trace) must be found by the search in the corrected profile, and
 * shrunk to a small program.
 */
class RunDoctoringTest {
    private static final Map<RunDoctoring, Set<Property>> EXPECTED = Map.of(
            RunDoctoring.DROP_EVENT, EnumSet.of(Property.TRACE_CONSISTENCY, Property.REPORTED_COUNT, Property.ACCOUNTING),
            RunDoctoring.DUPLICATE_EVENT, EnumSet.of(Property.TRACE_CONSISTENCY, Property.EVENT_ONCE, Property.RESULT,
                    Property.ACCOUNTING),
            RunDoctoring.WRONG_ERRNO, EnumSet.of(Property.RESULT),
            RunDoctoring.DROP_SEND, EnumSet.of(Property.TRACE_CONSISTENCY, Property.ACCOUNTING),
            RunDoctoring.DROP_TRACE, EnumSet.of(Property.TRACE_CONSISTENCY, Property.ACCOUNTING, Property.EVENT_ONCE));

    @ParameterizedTest
    @EnumSource(value = RunDoctoring.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void theSearchFindsABrokenVariant(RunDoctoring doctoring) {
        Explorer.Config c = new Explorer.Config();
        c.profiles = List.of(Profile.CORRECTED);
        c.programs = 400;
        c.seed = 7;
        c.driver.doctoring = doctoring;
        Explorer.ProfileSummary s = new Explorer(c).run().profiles().get(0);
        assertNotNull(s.failure, doctoring + ": the search found nothing in " + s.programs + " programs");
        Failure f = s.failure;
        System.out.println("RunDoctoringTest " + doctoring + " (" + doctoring.description() + "): found after " + s.programs
                + " programs\n" + f.report());
        assertTrue(EXPECTED.get(doctoring).contains(f.property), doctoring + " found as " + f.property);
        assertTrue(f.steps() <= 12, "minimal scenario has " + f.steps() + " steps");
    }
}
