package eventports.explore;

import eventports.kernel.Layer;
import eventports.kernel.Profile;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Teeth against the real thing: the random search, told to hunt one of the seed's known
 * defects in the illumos profile, finds it and shrinks it to a small program whose scenario
 * replays; the same minimal program does not break the property in the corrected profile.
 */
class SeedDefectTest {
    private static Failure hunt(Property p, long seed, int programs, int maxSteps) {
        return hunt(p, seed, programs, maxSteps, Layer.DESCRIPTORS);
    }

    /** The latent findings (FINDINGS.md: F2, F3's close hang, F7) need the descriptor layer off. */
    private static Failure hunt(Property p, long seed, int programs, int maxSteps, Layer layer) {
        Explorer.Config c = new Explorer.Config();
        c.driver.layer = layer;
        c.profiles = List.of(Profile.ILLUMOS);
        c.programs = programs;
        c.seed = seed;
        c.target = EnumSet.of(p);
        Explorer.ProfileSummary s = new Explorer(c).run().profiles().get(0);
        assertNotNull(s.failure, p + ": nothing found in " + s.programs + " programs");
        Failure f = s.failure;
        System.out.println("SeedDefectTest " + p.id() + ": found after " + s.programs + " programs\n" + f.report());
        assertEquals(p, f.property);
        assertNull(f.replay, "the minimal scenario replays");
        assertTrue(f.steps() <= maxSteps, "minimal scenario has " + f.steps() + " steps");
        // the corrected profile keeps the property on the very same program and schedule
        Explorer.Config cc = new Explorer.Config();
        cc.driver.layer = layer;
        cc.target = EnumSet.of(p);
        RunRecord r = Driver.run(f.minimal, Profile.CORRECTED, Schedule.of(f.minimal.schedule()), cc.driver, "fixed");
        assertTrue(Explorer.violations(r, cc).stream().noneMatch(v -> v.property() == p),
                () -> "corrected still breaks " + p + ": " + Explorer.violations(r, cc));
        return f;
    }

    @Test
    void nullHeadCrashAtLine1720() {
        Failure f = hunt(Property.PANIC, 1, 3000, 10, Layer.PORTFS);
        assertTrue(f.violation.message().startsWith("port.c:1720"), f.violation.message());
    }

    @Test
    void strandedWaiter() {
        hunt(Property.STRANDED_WAITER, 2, 3000, 14);
    }

    @Test
    void eventsLostByTheLastThreadOutOfAClosingPort() {
        hunt(Property.LOST, 1, 1000, 12, Layer.PORTFS);
    }

    @Test
    void leftoversPushedBehindNewerEvents() {
        hunt(Property.FIFO, 1, 1000, 14);
    }

    @Test
    void lastCloseHangs() {
        hunt(Property.CLOSE_HANG, 1, 1000, 12, Layer.PORTFS);
    }
}
