package eventports.explore;

import eventports.kernel.Profile;
import eventports.explore.Program.Get;
import eventports.explore.Program.Getn;
import eventports.explore.Program.ProcSpec;
import eventports.explore.Program.Ref;
import eventports.explore.Program.Send;
import eventports.explore.Program.ThreadSpec;
import eventports.explore.Program.To;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Teeth against the core's own fault switches ({@link eventports.kernel.CoreFault}, plausible
 * slips in porting port.c): with one switched on, the random search in the corrected profile
 * finds a failure and shrinks it to a small program. (WAKE_DURING_RETRIEVAL is invisible to
 * user-level checks — the woken waiter re-checks and sleeps again — and WAIT_EVENTS_KEPT has no
 * effect in corrected, whose ScanGen fix replaces the flag: those are for trace validation.)
 */
class CoreFaultTest {
    @ParameterizedTest
    @CsvSource({"LOST_PUSHBACK, 11", "THRCNT_LEAK, 11", "ALERT_OVERWRITES_SNAPSHOT, 2"})
    void theSearchFindsACoreFault(eventports.kernel.CoreFault fault, long seed) {
        Explorer.Config c = new Explorer.Config();
        c.profiles = List.of(Profile.CORRECTED);
        c.programs = 2000;
        c.seed = seed;
        c.driver.coreFaults = EnumSet.of(fault);
        Explorer.ProfileSummary s = new Explorer(c).run().profiles().get(0);
        assertNotNull(s.failure, fault + ": the search found nothing in " + s.programs + " programs");
        Failure f = s.failure;
        System.out.println("CoreFaultTest " + fault + ": found after " + s.programs + " programs\n" + f.report());
        assertTrue(f.steps() <= 14, "minimal scenario has " + f.steps() + " steps");
    }

    /**
     * FIFO_WAITERS needs one exact interleaving (a waiter for two events queued before a waiter
     * for one, then one event): the systematic mode finds it; without the fault the program is clean.
     */
    @Test
    void theSystematicModeFindsWaitersQueuedInArrivalOrder() {
        Program p = new Program(1, false, 65536, 8192, List.of(new ProcSpec("P1", -1, List.of(
                new ThreadSpec("T1", List.of(new Getn(Ref.A, 2, 2, To.NULL))),
                new ThreadSpec("T2", List.of(new Get(Ref.A, To.NULL))),
                new ThreadSpec("T3", List.of(new Send(Ref.A, 1)))))), List.of());
        Explorer.Config c = new Explorer.Config();
        c.driver = Systematic.options();
        Systematic.Result clean = Systematic.explore(p, Profile.CORRECTED, c, 20_000);
        assertNull(clean.violation(), () -> "without the fault: " + clean.violation());
        c.driver.coreFaults = EnumSet.of(eventports.kernel.CoreFault.FIFO_WAITERS);
        Systematic.Result r = Systematic.explore(p, Profile.CORRECTED, c, 20_000);
        assertNotNull(r.violation(), "FIFO_WAITERS not found in " + r.schedules() + " schedules");
        assertEquals(Property.STRANDED_WAITER, r.violation().property());
        Minimizer m = new Minimizer(Profile.CORRECTED, c, r.violation().property());
        Failure f = Failure.of(Profile.CORRECTED, r.violation().property(), r.failing(), m.minimize(r.failing()), c, 1,
                m.runs());
        System.out.println("CoreFaultTest FIFO_WAITERS: found after " + r.schedules() + " schedules\n" + f.report());
        assertTrue(f.steps() <= 10, f.steps() + " steps");
    }
}
