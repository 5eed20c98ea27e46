package eventports.conformance;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The `--needs` report's cumulative table ends with the reference's own capability set: each
 * capability sits in exactly one tier, so a capability added to {@link Capability} without a
 * tier (its scenarios would be missing from every row) fails here.
 */
class NeedsReportTest {
    @Test
    void theTiersNameEveryCapabilityOnce() {
        List<Capability> all = new ArrayList<>();
        NeedsReport.TIERS.forEach(all::addAll);
        assertEquals(all.size(), EnumSet.copyOf(all).size(), "a capability in two tiers: " + all);
        assertEquals(EnumSet.allOf(Capability.class), EnumSet.copyOf(all), "the last row is not the reference's set");
    }
}
