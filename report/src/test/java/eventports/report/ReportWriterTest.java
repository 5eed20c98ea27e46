package eventports.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest {

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static Report report(List<Interleaving> il) {
        return new Report("check <&>", Instant.parse("2025-03-04T05:06:07Z"), List.of("a | note"),
                List.of(new SummaryRow("model checking", "close, illumos", Verdict.EXPECTED, "1 finding", 2.0),
                        new SummaryRow("conformance", "corpus", Verdict.PASS, "5 scenarios", 1.25)),
                List.of(new ModelCheckStat("close", "illumos", 1000, 400, 12, 2.0, Verdict.EXPECTED, "NoNullHeadWaiter")),
                List.of(new TimingSeries("scenario", "ms", List.of(1.0, 2.0, 3.0, 4.0, 5.0))),
                il);
    }

    @Test
    void writesHtmlMarkdownAndOneSvgPerInterleaving(@TempDir Path dir) throws Exception {
        List<Interleaving> il = List.of(SequenceDiagramTest.synthetic(12, 3, 5), Demo.crashByHand());
        Path html = ReportWriter.write(report(il), dir.resolve("out"));
        String h = Files.readString(html);
        String md = Files.readString(dir.resolve("out/index.md"));

        assertEquals(2, count(h, "<svg "), "diagrams inline");
        assertFalse(h.contains("<script"), "no scripts");
        assertFalse(h.contains("<link"), "self-contained: no external style sheets");
        for (int i = 1; i <= 2; i++) {
            Path svg = dir.resolve("out").resolve(ReportWriter.svgName(i));
            Svg.parse(Files.readString(svg));
            assertTrue(md.contains("](" + ReportWriter.svgName(i) + ")"), "Markdown links the SVG beside it");
        }
        assertTrue(h.contains("check &lt;&amp;&gt;") && md.contains("# check &lt;&amp;&gt;"), "title escaped");
        assertTrue(md.contains("a \\| note"), "pipes escaped in Markdown");

        // the hand-computed statistics of 1..5 appear in both formats
        for (String doc : List.of(h, md)) {
            assertTrue(doc.contains("[1.04, 4.96]"), "95 % CI of the mean");
            assertTrue(doc.contains("1.58"), "sd");
            assertTrue(doc.contains("1,000") && doc.contains("NoNullHeadWaiter"), "model-checking row");
            assertTrue(doc.contains("3.3 s"), "total time");
            assertTrue(doc.contains("PASS, with 1 step showing known findings (EXPECTED)"), "overall verdict");
        }
        assertEquals(3, count(h, "class=\"verdict v-EXPECTED\""), "summary row, total, model-checking row");
        // 1..5: ⌈log2 5⌉ + 1 = 4 bins of width 1, the last one closed: it holds 4 and 5
        assertTrue(md.contains("| 4.00 – 5.00 | 2 |"), "histogram");
    }

    @Test
    void anEmptyReportSaysSoInsteadOfDrawingNothing(@TempDir Path dir) throws Exception {
        Report r = new Report("empty", Instant.EPOCH, List.of(), List.of(), List.of(), List.of(), List.of());
        String h = Files.readString(ReportWriter.write(r, dir));
        assertTrue(h.contains("No model was checked."));
        assertTrue(h.contains("nothing to draw"));
        assertTrue(h.contains("class=\"overall v-PASS\""));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "index.html and index.md only");
        }
    }
}
