package eventports.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** --simulate: TLC's simulation mode reports the states it visited and each action's coverage. */
class SimulateTest {

    @Test
    void coverageLinesAreSummedPerActionAndEachReportStartsAfresh() {
        RunResult r = new RunResult();
        ModelChecker.coverage("<port_getn line 790, col 1 to line 790, col 12 of module EventPort (791 8 791 103)>: 0:143", r);
        ModelChecker.coverage("<port_getn line 790, col 1 to line 790, col 12 of module EventPort (792 8 792 60)>: 0:1", r);
        ModelChecker.coverage("<Init line 1268, col 1 to line 1268, col 4 of module EventPort>: 1:1", r);
        ModelChecker.coverage("  line 791, col 8 to line 791, col 24 of module EventPort: 637", r);
        assertEquals(java.util.Map.of("port_getn", 144L), r.coverage);
        ModelChecker.coverage("The coverage statistics at 2026-12-06 19:15:07", r);
        ModelChecker.coverage("<timer_fire line 668, col 1 to line 668, col 13 of module EventPort>: 0:0", r);
        assertEquals(java.util.Map.of("timer_fire", 0L), r.coverage);
        ModelChecker.coverage("Progress: 1,284 states checked.", r);
        assertEquals(1284, r.states);
    }

    @Test
    void smallModelSimulationCoversItsActionsAndNotTheFdSource() throws Exception {
        RunRequest r = Tlc.request("small", "corrected");
        r.simulate = true;
        r.depth = 40;
        r.seed = 3;
        r.traces = 40;
        ChildRun.Outcome o = Tlc.run(r);
        assertEquals(RunResult.Verdict.OK, o.result.verdict, o.text());
        String out = o.text();
        assertTrue(out.contains("coverage ("), out);
        long getn = steps(out, "port_getn"), send = steps(out, "port_send_event"), fd = steps(out, "port_associate_fd");
        assertTrue(getn > 0 && send > 0, "the small model's calls and sends are taken:\n" + out);
        assertEquals(0, fd, "the small model has no FD source:\n" + out);
        assertTrue(o.result.states >= 40, "states visited are reported: " + o.result.resultLine());
    }

    /** The steps a coverage line of the output gives the action (-1 if none). */
    private static long steps(String out, String action) {
        for (String l : out.split("\n")) {
            String t = l.trim();
            if (t.startsWith(action + " ")) return Long.parseLong(t.substring(action.length()).trim());
        }
        return -1;
    }
}
