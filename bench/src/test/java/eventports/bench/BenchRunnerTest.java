package eventports.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness runs every benchmark once, in-process, for one 50 ms iteration and produces a
 * ratio line for every row of the report, the per-event cost lines first. No timing is
 * asserted: only that the lines are there.
 */
class BenchRunnerTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void smokeRunProducesEveryRatioLine(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        BenchRunner r = new BenchRunner(BenchRunner.Mode.SMOKE, ps, dir.resolve("logs"), null);
        r.runAll();
        r.printRatios(ps);
        Path md = dir.resolve("RESULTS.md");
        r.writeMarkdown(md, "test");

        String text = buf.toString(StandardCharsets.UTF_8);
        // single-threaded rows: mean ± error; contended rows: median (low–high)
        // (a 50 ms iteration on a loaded machine may count no operation: that line says so)
        Pattern ratio = Pattern.compile("^  .+ vs .+ (\\d+\\.\\d{3} (± (\\d+\\.\\d{3}|n/a)|\\((\\d+\\.\\d{3}–\\d+\\.\\d{3}|n/a)\\))"
                + "|" + Pattern.quote(BenchRunner.ZERO_SCORE) + ")(  goal .*)?$");
        long lines = text.lines().filter(l -> ratio.matcher(l).matches()).count();
        assertEquals(r.rows().size(), lines, () -> "ratio lines in:\n" + text);
        assertEquals(r.rows().size(), r.ratios().size());
        assertTrue(text.contains("throughput 1/1"), text);
        // the single-threaded per-event cost comes first, one line per batch size, then allocation
        List<String> out = text.lines().collect(Collectors.toList());
        assertTrue(out.get(0).startsWith("per-event cost, 1 thread, batch 64: port/LinkedBlockingQueue "), text);
        assertTrue(out.get(1).startsWith("per-event cost, 1 thread, batch 1: port/LinkedBlockingQueue "), text);
        assertTrue(out.get(2).startsWith("per-event cost, allocation per event"), text);
        assertTrue(out.get(0).contains("goal ≤ 1.0") && out.get(0).contains("port/ABQ"), out.get(0));

        String written = Files.readString(md);
        assertTrue(written.contains("processors (nproc)"), written);
        assertTrue(written.contains("| wake-up latency |"), written);
        assertTrue(written.contains("## Per-event cost"), written);
        // a second run replaces only what lies between the markers
        Files.writeString(md, "# Account\nkept above\n" + written + "kept below\n");
        r.writeMarkdown(md, "test again");
        String again = Files.readString(md);
        assertTrue(again.startsWith("# Account\nkept above\n" + BenchRunner.BEGIN), again);
        assertTrue(again.endsWith(BenchRunner.END + "\nkept below\n"), again);
        assertTrue(again.contains("Written by `test again`") && !again.contains("Written by `test`"), again);
    }

    @Test
    void aBaselineThatScoredZeroGivesNoRatioAndNoVerdict() {
        BenchRunner r = new BenchRunner(BenchRunner.Mode.SMOKE, new PrintStream(new ByteArrayOutputStream()), null, null);
        r.scores().put("port", new BenchRunner.Score(5, 1, "ops/us", 5, 4, 6, 3));
        r.scores().put("base", new BenchRunner.Score(0, 0, "ops/us", 0, 0, 0, 3));
        for (BenchRunner.Stat stat : BenchRunner.Stat.values()) {
            BenchRunner.Ratio q = r.ratio(new BenchRunner.Row("s", "port vs base", "port", "base", ">= 1.2", stat));
            assertEquals(BenchRunner.ZERO_SCORE, q.formatted());
            assertEquals("", BenchRunner.verdict(q), "no goal is met or missed on a score of 0");
        }
    }
}
