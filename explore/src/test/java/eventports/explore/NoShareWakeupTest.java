package eventports.explore;

import eventports.explore.Program.Dispatch;
import eventports.explore.Program.Get;
import eventports.explore.Program.ProcSpec;
import eventports.explore.Program.Ref;
import eventports.explore.Program.ThreadSpec;
import eventports.explore.Program.To;
import eventports.kernel.Ports;
import eventports.kernel.Profile;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A finding of this search (FINDINGS F11, fixed in corrected by PassOn): wake rules W1/W2
 * signal only the head waiter. When the head's process cannot take the queued event (a
 * non-shareable port_dispatch event of another process), the head rescans, finds nothing and
 * goes back to sleep; the wake-up is consumed and the owner's waiter, further back in the ring,
 * sleeps forever next to an event it could retrieve (port.c:1359-1361). Two waiters of P1 are needed:
 * the first one's W2 hand-off reaches the second, which ignores it (retry mode), never the owner's.
 * The systematic mode finds it in illumos every time; corrected has no failure on any schedule.
 */
class NoShareWakeupTest {
    static final Program NOSHARE_WAKEUP = new Program(1, false, 65536, 8192, List.of(
            new ProcSpec("P1", -1, List.of(
                    new ThreadSpec("T1", List.of(new Get(Ref.A, To.NULL))),
                    new ThreadSpec("T2", List.of(new Get(Ref.A, To.NULL))))),
            new ProcSpec("P2", 0, List.of(
                    new ThreadSpec("T3", List.of(new Get(Ref.A, To.NULL))),
                    new ThreadSpec("T4", List.of(new Dispatch(Ref.A, Ports.PORT_SOURCE_AIO, true, 1)))))),
            List.of());

    /** No timeouts or signals matter here: the schedules are the orders of the four calls and their wake-ups. */
    private static Explorer.Config config(Property target) {
        Explorer.Config c = new Explorer.Config();
        c.driver = Systematic.options();
        c.driver.advanceBudget = 0;
        c.driver.interruptBudget = 0;
        c.target = target == null ? null : EnumSet.of(target);
        return c;
    }

    @Test
    void illumosStrandsTheOwnerOfANonShareableEvent() {
        Explorer.Config c = config(Property.STRANDED_WAITER);
        Systematic.Result r = Systematic.explore(NOSHARE_WAKEUP, Profile.ILLUMOS, c, 20_000);
        assertNotNull(r.violation(), "not found in " + r.schedules() + " schedules");
        assertEquals(Property.STRANDED_WAITER, r.violation().property());
        Minimizer m = new Minimizer(Profile.ILLUMOS, c, r.violation().property());
        Failure f = Failure.of(Profile.ILLUMOS, r.violation().property(), r.failing(), m.minimize(r.failing()), c, 1,
                m.runs());
        System.out.println("NoShareWakeupTest: found after " + r.schedules() + " schedules:\n" + f.report());
        assertNull(f.replay);
        assertTrue(f.steps() <= 16, f.steps() + " steps");
    }

    @Test
    void correctedWakesTheOwnerOnEverySchedule() {
        Systematic.Result r = Systematic.explore(NOSHARE_WAKEUP, Profile.CORRECTED, config(null), 50_000);
        System.out.println("NoShareWakeupTest corrected: " + r.schedules() + " schedules, " + r.pruned()
                + " stopped at a known state, complete " + r.complete());
        assertNull(r.violation(), () -> "corrected: " + r.violation());
        assertTrue(r.complete(), "every schedule explored");
    }
}
