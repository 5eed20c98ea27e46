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
class FaultTeethTest {
    private static final Map<Fault, Set<Property>> EXPECTED = Map.of(
            Fault.DROP_EVENT, EnumSet.of(Property.TRACE_CONSISTENCY, Property.REPORTED_COUNT, Property.ACCOUNTING),
            Fault.DUPLICATE_EVENT, EnumSet.of(Property.TRACE_CONSISTENCY, Property.EVENT_ONCE, Property.RESULT,
                    Property.ACCOUNTING),
            Fault.WRONG_ERRNO, EnumSet.of(Property.RESULT),
            Fault.DROP_SEND, EnumSet.of(Property.TRACE_CONSISTENCY, Property.ACCOUNTING),
            Fault.DROP_TRACE, EnumSet.of(Property.TRACE_CONSISTENCY, Property.ACCOUNTING, Property.EVENT_ONCE));

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void theSearchFindsABrokenVariant(Fault fault) {
        Explorer.Config c = new Explorer.Config();
        c.profiles = List.of(Profile.CORRECTED);
        c.programs = 400;
        c.seed = 7;
        c.driver.fault = fault;
        Explorer.ProfileSummary s = new Explorer(c).run().profiles().get(0);
        assertNotNull(s.failure, fault + ": the search found nothing in " + s.programs + " programs");
        Failure f = s.failure;
        System.out.println("FaultTeethTest " + fault + " (" + fault.description() + "): found after " + s.programs
                + " programs\n" + f.report());
        assertTrue(EXPECTED.get(fault).contains(f.property), fault + " found as " + f.property);
        assertTrue(f.steps() <= 12, "minimal scenario has " + f.steps() + " steps");
    }
}
