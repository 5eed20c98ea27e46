package eventports.explore;

import eventports.explore.Program.Close;
import eventports.explore.Program.Get;
import eventports.explore.Program.ProcSpec;
import eventports.explore.Program.Ref;
import eventports.explore.Program.Send;
import eventports.explore.Program.ThreadSpec;
import eventports.explore.Program.To;
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
 * The systematic mode finds a bug that needs one exact interleaving every time, and explores
 * the same programs completely without a failure in the corrected profile.
 */
class SystematicTest {
    /** T1 waits; T2 sends (waking T1) and polls, pausing in delivery; T3 last-closes; T1 runs: port.c:1720. */
    static final Program CLOSE_RACE = program(
            new ThreadSpec("T1", List.of(new Get(Ref.A, To.NULL))),
            new ThreadSpec("T2", List.of(new Send(Ref.A, 1), new Get(Ref.A, To.ZERO))),
            new ThreadSpec("T3", List.of(new Close(Ref.A))));

    /** Two waiters, one event: the signalled head is interrupted and the wake-up is lost (PassWakeup). */
    static final Program LOST_WAKEUP = program(
            new ThreadSpec("T1", List.of(new Get(Ref.A, To.NULL))),
            new ThreadSpec("T2", List.of(new Get(Ref.A, To.NULL))),
            new ThreadSpec("T3", List.of(new Send(Ref.A, 1))));

    private static Program program(ThreadSpec... threads) {
        return new Program(1, false, 65536, 8192, List.of(new ProcSpec("P1", -1, List.of(threads))), List.of());
    }

    private static Explorer.Config config(Property target) {
        return config(target, Layer.DESCRIPTORS);
    }

    private static Explorer.Config config(Property target, Layer layer) {
        Explorer.Config c = new Explorer.Config();
        c.driver = Systematic.options();
        c.driver.layer = layer;
        c.target = target == null ? null : EnumSet.of(target);
        return c;
    }

    private static void findsEveryTime(Program p, Property prop, int maxSteps) {
        findsEveryTime(p, prop, maxSteps, Layer.DESCRIPTORS);
    }

    private static void findsEveryTime(Program p, Property prop, int maxSteps, Layer layer) {
        Explorer.Config c = config(prop, layer);
        Systematic.Result r = Systematic.explore(p, Profile.ILLUMOS, c, 20_000);
        assertNotNull(r.violation(), prop + " not found in " + r.schedules() + " schedules");
        assertEquals(prop, r.violation().property());
        Minimizer m = new Minimizer(Profile.ILLUMOS, c, prop);
        Program min = m.minimize(r.failing());
        Failure f = Failure.of(Profile.ILLUMOS, prop, r.failing(), min, c, 1, m.runs());
        System.out.println("SystematicTest " + prop.id() + ": found after " + r.schedules() + " schedules ("
                + r.pruned() + " stopped at a known state)\n" + f.report());
        assertNotNull(f.violation);
        assertNull(f.replay);
        assertTrue(f.steps() <= maxSteps, f.steps() + " steps");

        Systematic.Result clean = Systematic.explore(p, Profile.CORRECTED, config(null, layer), 50_000);
        System.out.println("SystematicTest corrected: " + clean.schedules() + " schedules, " + clean.pruned()
                + " stopped at a known state, " + clean.states() + " states, complete " + clean.complete());
        assertNull(clean.violation(), () -> "corrected: " + clean.violation());
        assertTrue(clean.complete(), "every schedule explored");
    }

    @Test
    void closeRaceCrashesAtLine1720() {
        // F2 is latent in stock illumos: only port.c's close protocol on its own reaches it
        findsEveryTime(CLOSE_RACE, Property.PANIC, 9, Layer.PORTFS);
    }

    @Test
    void theCloseRaceCannotCrashWithTheDescriptorLayer() {
        // the same program, every schedule, with close(2) evicting T1 and T2 first (fio.c
        // closeandsetf): no thread is left in port_getn when port_close runs (FINDINGS F2)
        Systematic.Result r = Systematic.explore(CLOSE_RACE, Profile.ILLUMOS, config(Property.PANIC), 50_000);
        System.out.println("SystematicTest descriptor layer: " + r.schedules() + " schedules, " + r.states()
                + " states, complete " + r.complete());
        assertNull(r.violation(), () -> "descriptor layer: " + r.violation());
        assertTrue(r.complete(), "every schedule explored");
    }

    @Test
    void interruptedHeadLosesTheWakeup() {
        findsEveryTime(LOST_WAKEUP, Property.STRANDED_WAITER, 10);
    }

    @Test
    void smallProgramsHaveNoFailureInCorrected() {
        Explorer.Config c = config(null);
        c.seed = 5;
        c.bounds = Programs.Bounds.SMALL;
        Systematic.Summary s = Systematic.search(Profile.CORRECTED, c, Budget.of(3, 120), Budget.of(400, 3000));
        System.out.println("SystematicTest " + s.line());
        assertNull(s.failure, () -> s.failure.report());
    }

    @Test
    void smallProgramsHaveNoSafetyFailureInIllumos() {
        Explorer.Config c = config(null);
        c.seed = 6;
        c.bounds = Programs.Bounds.SMALL;
        Systematic.Summary s = Systematic.search(Profile.ILLUMOS, c, Budget.of(2, 60), Budget.of(300, 3000));
        System.out.println("SystematicTest " + s.line());
        assertNull(s.failure, () -> s.failure.report());
    }
}
