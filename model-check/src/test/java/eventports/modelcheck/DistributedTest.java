package eventports.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * TLC's distributed mode on loopback: a TLCServer and two TLCWorkers find
 * the same distinct states as a local run of the same model (invariants
 * only: distributed TLC does not check temporal properties).
 * Skip with -Deventports.distributed=false.
 */
@EnabledIfSystemProperty(named = "eventports.distributed", matches = "true")
class DistributedTest {

    @Test
    void twoWorkersOnLoopbackMatchALocalRun() throws Exception {
        RunRequest req = Tlc.request("close", "corrected");
        req.invariantsOnly = true;
        ChildRun.Outcome local = Tlc.run(req);
        assertEquals(RunResult.Verdict.OK, local.result.verdict, local.text());

        RunResult dist = Distributed.runLoopback(req, 2, 240, null);
        System.out.println("  distributed -> " + dist.resultLine());
        assertEquals(RunResult.Verdict.OK, dist.verdict, "distributed run: " + dist.resultLine());
        assertTrue(local.result.distinct > 500, local.result.resultLine());     // folded: 958
        assertEquals(local.result.distinct, dist.distinct,
                "server with two workers must reach the local run's distinct states");
    }
}
