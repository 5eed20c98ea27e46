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

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * An open finding of the corrected profile, found by this search (not by the model checker):
 * wake rules W1/W2 signal only the head waiter. When the head's process cannot take the
 * queued event (a non-shareable port_dispatch event of another process), the head rescans,
 * finds nothing, and goes back to sleep in retry mode; the wake-up is consumed and the owner's
 * waiter, further back in the ring, sleeps forever next to an event it could retrieve
 * (§19 item 7, stranded-waiter). Two waiters of P1 are needed: the first one's W2 hand-off
 * reaches the second, which ignores it (retry mode), never the owner's.
 *
 * <p>This test asserts that the systematic mode still finds it. When the core fixes it, the
 * test fails: then turn it round (assert no violation) and keep the program as a regression.
 */
class CorrectedFindingTest {
    static final Program NOSHARE_WAKEUP = new Program(1, false, 65536, 8192, List.of(
            new ProcSpec("P1", -1, List.of(
                    new ThreadSpec("T1", List.of(new Get(Ref.A, To.NULL))),
                    new ThreadSpec("T2", List.of(new Get(Ref.A, To.NULL))))),
            new ProcSpec("P2", 0, List.of(
                    new ThreadSpec("T3", List.of(new Get(Ref.A, To.NULL))),
                    new ThreadSpec("T4", List.of(new Dispatch(Ref.A, Ports.PORT_SOURCE_AIO, true, 1)))))),
            List.of());

    @Test
    void ownerOfANonShareableEventIsStrandedBehindOtherProcessesWaiters() {
        Explorer.Config c = new Explorer.Config();
        c.driver = Systematic.options();
        Systematic.Result r = Systematic.explore(NOSHARE_WAKEUP, Profile.CORRECTED, c, 20_000);
        assertNotNull(r.violation(), "fixed? no violation in " + r.schedules() + " schedules: turn this test round");
        assertEquals(Property.STRANDED_WAITER, r.violation().property());
        Minimizer m = new Minimizer(Profile.CORRECTED, c, r.violation().property());
        Failure f = Failure.of(Profile.CORRECTED, r.violation().property(), r.failing(), m.minimize(r.failing()), c, 1,
                m.runs());
        System.out.println("CorrectedFindingTest (open finding) after " + r.schedules() + " schedules:\n" + f.report());
        assertNull(f.replay);
    }
}
