package eventports.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes the report of {@code eventports check} into a directory: {@code index.html}, one
 * self-contained page (inline CSS, the diagrams as inline SVG, no scripts) and
 * {@code index.md}, the same content as Markdown with each diagram beside it as
 * {@code interleaving-N.svg}.
 *
 * <p>Design: {@code check} fills a {@link Report} (plain records, no behaviour) and calls
 * {@link #write}. Everything derived — the statistics ({@link SampleStats}, {@link Histogram},
 * on Commons Math), the diagrams ({@link SequenceDiagram}, drawn by the project), the steps of
 * a core trace ({@link TraceSteps}) — is computed here from that input, so the report can be
 * rebuilt from saved results and tested without running a check. Both outputs are produced
 * from the same section list, so HTML and Markdown cannot drift apart. Text from the input is
 * escaped at the one place it is emitted ({@link Xml}).
 */
public final class ReportWriter {
    private ReportWriter() {}

    public static final String HTML = "index.html", MARKDOWN = "index.md";

    /** The file name of the n-th (1-based) interleaving's diagram. */
    public static String svgName(int n) {
        return "interleaving-" + n + ".svg";
    }

    /** Writes the report into {@code dir} (created if missing); returns the path of index.html. */
    public static Path write(Report report, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> svgs = new ArrayList<>();
        for (int i = 0; i < report.interleavings().size(); i++) {
            String svg = SequenceDiagram.svg(report.interleavings().get(i));
            svgs.add(svg);
            Files.writeString(dir.resolve(svgName(i + 1)), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg,
                    StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve(MARKDOWN), markdown(report), StandardCharsets.UTF_8);
        Path html = dir.resolve(HTML);
        Files.writeString(html, html(report, svgs), StandardCharsets.UTF_8);
        return html;
    }

    // ---- the content, once, for both formats ------------------------------------------------

    /** A table: header and rows of already-formatted plain-text cells; verdict cells are styled. */
    private record Table(List<String> header, List<List<String>> rows, int verdictColumn) {}

    private static Table summaryTable(Report r) {
        List<List<String>> rows = new ArrayList<>();
        double total = 0;
        for (SummaryRow s : r.summary()) {
            rows.add(List.of(s.step(), s.what(), s.verdict().name(), s.counts(), seconds(s.seconds())));
            total += s.seconds();
        }
        rows.add(List.of("total", "", r.overall().name(), "", seconds(total)));
        return new Table(List.of("step", "what ran", "verdict", "counts", "time"), rows, 2);
    }

    private static Table modelCheckTable(Report r) {
        List<List<String>> rows = new ArrayList<>();
        for (ModelCheckStat m : r.modelChecking()) {
            rows.add(List.of(m.model(), m.profile(), m.verdict().name(), m.violated().isEmpty() ? "-" : m.violated(),
                    count(m.states()), count(m.distinct()), rate(m.distinctPerSecond()), count(m.depth()),
                    seconds(m.seconds())));
        }
        return new Table(List.of("model", "profile", "verdict", "violated", "states", "distinct", "distinct/s",
                "depth", "time"), rows, 2);
    }

    private static Table statsTable(Report r) {
        List<List<String>> rows = new ArrayList<>();
        for (TimingSeries t : r.timings()) {
            SampleStats s = SampleStats.of(t.values());
            rows.add(List.of(t.name(), t.unit(), Long.toString(s.n()), num(s.mean()),
                    Double.isNaN(s.ciLow()) ? "-" : "[" + num(s.ciLow()) + ", " + num(s.ciHigh()) + "]",
                    num(s.sd()), num(s.min()), num(s.median()), num(s.p90()), num(s.max())));
        }
        return new Table(List.of("series", "unit", "n", "mean", "95 % CI of mean", "sd", "min", "median", "p90", "max"),
                rows, -1);
    }

    private static Table stepTable(Interleaving il) {
        List<List<String>> rows = new ArrayList<>();
        int i = 0;
        for (Step s : il.steps()) {
            String who = s.pid() > 0 ? s.thread() + " (pid " + s.pid() + ")" : s.thread();
            rows.add(List.of(Integer.toString(++i), who, s.action() + (s.highlight() ? " ✗" : ""), s.detail(),
                    String.join(", ", s.wakes()), SequenceDiagram.stateSummary(s.state())));
        }
        return new Table(List.of("#", "thread", "action", "detail", "wakes", "port after"), rows, -1);
    }

    private static String distributionCaption(TimingSeries t) {
        return t.name() + (t.unit().isEmpty() ? "" : " (" + t.unit() + ")");
    }

    // ---- HTML ---------------------------------------------------------------------------------

    static String html(Report r, List<String> svgs) {
        StringBuilder o = new StringBuilder(16384 + svgs.stream().mapToInt(String::length).sum());
        o.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Xml.esc(r.title())).append("</title>\n<style>\n").append(CSS).append("</style>\n")
                .append("</head>\n<body>\n");
        Verdict overall = r.overall();
        o.append("<header><h1>").append(Xml.esc(r.title())).append("</h1>")
                .append("<p class=\"overall v-").append(overall).append("\">").append(overallText(r)).append("</p>")
                .append("<p class=\"meta\">generated ").append(Xml.esc(timestamp(r))).append("</p>");
        for (String n : r.notes()) {
            o.append("<p class=\"note\">").append(Xml.esc(n)).append("</p>");
        }
        o.append("<nav>").append(link("#summary", "Summary")).append(" · ").append(link("#model-checking", "Model checking"))
                .append(" · ").append(link("#statistics", "Statistics")).append(" · ")
                .append(link("#interleavings", "Interleavings (" + r.interleavings().size() + ")")).append("</nav></header>\n");

        o.append("<h2 id=\"summary\">Summary</h2>\n");
        htmlTable(o, summaryTable(r), "summary");

        o.append("<h2 id=\"model-checking\">Model checking</h2>\n");
        if (r.modelChecking().isEmpty()) {
            o.append("<p class=\"none\">No model was checked.</p>\n");
        } else {
            htmlTable(o, modelCheckTable(r), "mc");
        }

        o.append("<h2 id=\"statistics\">Statistics</h2>\n");
        if (r.timings().isEmpty()) {
            o.append("<p class=\"none\">No timings were recorded.</p>\n");
        } else {
            o.append("<p class=\"explain\">Means with 95 % confidence intervals (Student's t); "
                    + "sd is the sample standard deviation; distributions use equal-width bins.</p>\n");
            htmlTable(o, statsTable(r), "stats");
            o.append("<div class=\"hists\">\n");
            for (TimingSeries t : r.timings()) {
                htmlHistogram(o, t);
            }
            o.append("</div>\n");
        }

        o.append("<h2 id=\"interleavings\">Interleavings</h2>\n");
        if (r.interleavings().isEmpty()) {
            o.append("<p class=\"none\">No counterexample, failing program or rejected trace: nothing to draw.</p>\n");
        }
        for (int i = 0; i < r.interleavings().size(); i++) {
            Interleaving il = r.interleavings().get(i);
            o.append("<section class=\"interleaving\" id=\"il-").append(i + 1).append("\">\n<h3>").append(i + 1)
                    .append(". ").append(Xml.esc(il.title())).append("</h3>\n<p class=\"meta\">")
                    .append(Xml.esc(describe(il))).append(" · ").append(link(svgName(i + 1), "SVG file")).append("</p>\n");
            if (!il.note().isEmpty()) {
                o.append("<p class=\"note\">").append(Xml.esc(il.note())).append("</p>\n");
            }
            o.append("<div class=\"diagram\">\n").append(svgs.get(i)).append("</div>\n");
            o.append("<details><summary>steps as text</summary>\n");
            htmlTable(o, stepTable(il), "steps");
            o.append("</details>\n</section>\n");
        }
        o.append("</body>\n</html>\n");
        return o.toString();
    }

    private static void htmlTable(StringBuilder o, Table t, String cls) {
        o.append("<table class=\"").append(cls).append("\">\n<thead><tr>");
        for (String h : t.header()) {
            o.append("<th>").append(Xml.esc(h)).append("</th>");
        }
        o.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : t.rows()) {
            o.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                String v = row.get(c);
                if (c == t.verdictColumn()) {
                    o.append("<td class=\"verdict v-").append(Xml.esc(v)).append("\">");
                } else {
                    o.append(isNumeric(v) ? "<td class=\"n\">" : "<td>");
                }
                o.append(Xml.esc(v)).append("</td>");
            }
            o.append("</tr>\n");
        }
        o.append("</tbody>\n</table>\n");
    }

    private static void htmlHistogram(StringBuilder o, TimingSeries t) {
        Histogram h = Histogram.of(t.values());
        int max = Math.max(1, h.maxCount());
        o.append("<table class=\"hist\">\n<caption>").append(Xml.esc(distributionCaption(t))).append("</caption>\n")
                .append("<thead><tr><th>range</th><th>count</th><th></th></tr></thead>\n<tbody>\n");
        for (Histogram.Bin b : h.bins()) {
            o.append("<tr><td class=\"n\">").append(Xml.esc(range(b))).append("</td><td class=\"n\">").append(b.count())
                    .append("</td><td class=\"bar\"><span style=\"width:")
                    .append(String.format(Locale.ROOT, "%.1f", 100.0 * b.count() / max)).append("%\"></span></td></tr>\n");
        }
        o.append("</tbody>\n</table>\n");
    }

    private static String link(String href, String text) {
        return "<a href=\"" + Xml.esc(href) + "\">" + Xml.esc(text) + "</a>";
    }

    // ---- Markdown -----------------------------------------------------------------------------

    static String markdown(Report r) {
        StringBuilder o = new StringBuilder(8192);
        o.append("# ").append(Xml.md(r.title())).append("\n\n**").append(Xml.md(overallText(r))).append("**  \n")
                .append("generated ").append(Xml.md(timestamp(r))).append("\n\n");
        for (String n : r.notes()) {
            o.append(Xml.md(n)).append("\n\n");
        }
        o.append("## Summary\n\n");
        mdTable(o, summaryTable(r));
        o.append("## Model checking\n\n");
        if (r.modelChecking().isEmpty()) {
            o.append("No model was checked.\n\n");
        } else {
            mdTable(o, modelCheckTable(r));
        }
        o.append("## Statistics\n\n");
        if (r.timings().isEmpty()) {
            o.append("No timings were recorded.\n\n");
        } else {
            o.append("Means with 95 % confidence intervals (Student's t); sd is the sample standard deviation; "
                    + "distributions use equal-width bins.\n\n");
            mdTable(o, statsTable(r));
            for (TimingSeries t : r.timings()) {
                Histogram h = Histogram.of(t.values());
                int max = Math.max(1, h.maxCount());
                List<List<String>> rows = new ArrayList<>();
                for (Histogram.Bin b : h.bins()) {
                    rows.add(List.of(range(b), Integer.toString(b.count()),
                            "█".repeat((int) Math.round(24.0 * b.count() / max))));
                }
                o.append("**").append(Xml.md(distributionCaption(t))).append("**\n\n");
                mdTable(o, new Table(List.of("range", "count", ""), rows, -1));
            }
        }
        o.append("## Interleavings\n\n");
        if (r.interleavings().isEmpty()) {
            o.append("No counterexample, failing program or rejected trace: nothing to draw.\n\n");
        }
        for (int i = 0; i < r.interleavings().size(); i++) {
            Interleaving il = r.interleavings().get(i);
            o.append("### ").append(i + 1).append(". ").append(Xml.md(il.title())).append("\n\n")
                    .append(Xml.md(describe(il))).append("\n\n");
            if (!il.note().isEmpty()) {
                o.append(Xml.md(il.note())).append("\n\n");
            }
            o.append("![").append(Xml.md(il.title())).append("](").append(svgName(i + 1)).append(")\n\n")
                    .append("[diagram as SVG](").append(svgName(i + 1)).append(")\n\n");
            mdTable(o, stepTable(il));
        }
        return o.toString();
    }

    private static void mdTable(StringBuilder o, Table t) {
        Function<List<String>, String> line = cells -> {
            StringBuilder b = new StringBuilder("|");
            cells.forEach(c -> b.append(' ').append(Xml.md(c)).append(" |"));
            return b.append('\n').toString();
        };
        o.append(line.apply(t.header()));
        StringBuilder sep = new StringBuilder("|");
        for (int c = 0; c < t.header().size(); c++) {
            sep.append(numericColumn(t, c) ? "---:|" : "---|");
        }
        o.append(sep).append('\n');
        t.rows().forEach(r -> o.append(line.apply(r)));
        o.append('\n');
    }

    // ---- formatting ---------------------------------------------------------------------------

    private static boolean numericColumn(Table t, int c) {
        return !t.rows().isEmpty() && t.rows().stream().allMatch(r -> r.get(c).isEmpty() || isNumeric(r.get(c)));
    }

    private static boolean isNumeric(String s) {
        return !s.isEmpty() && s.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?( s)?");
    }

    private static String overallText(Report r) {
        long expected = r.summary().stream().filter(s -> s.verdict() == Verdict.EXPECTED).count();
        long failed = r.summary().stream().filter(s -> s.verdict() == Verdict.FAIL).count();
        return switch (r.overall()) {
            case FAIL -> "FAIL: " + failed + " step" + (failed == 1 ? "" : "s") + " failed";
            case EXPECTED -> "PASS, with " + expected + " step" + (expected == 1 ? "" : "s")
                    + " showing known findings (EXPECTED)";
            case PASS -> "PASS";
        };
    }

    private static String describe(Interleaving il) {
        Set<String> threads = new LinkedHashSet<>();
        il.steps().forEach(s -> threads.add(s.thread()));
        return il.kind().label + (il.profile().isEmpty() ? "" : " · profile " + il.profile()) + " · "
                + il.steps().size() + " steps · threads " + String.join(", ", threads);
    }

    private static String timestamp(Report r) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").format(r.generated().atOffset(ZoneOffset.UTC));
    }

    private static String range(Histogram.Bin b) {
        return num(b.low()) + " – " + num(b.high());
    }

    /** Three significant figures or so: timings are noisy, more digits would be clutter. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        String f = a >= 100 || a == 0 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String count(long n) {
        return n < 0 ? "-" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String rate(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static final String CSS = """
            body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; margin: 24px 32px; color: #111827;
                   font-size: 14px; line-height: 1.4; }
            h1 { font-size: 24px; margin: 0 0 6px; }
            h2 { font-size: 19px; margin: 26px 0 8px; border-bottom: 1px solid #d1d5db; padding-bottom: 3px; }
            h3 { font-size: 16px; margin: 20px 0 4px; }
            p { margin: 4px 0; }
            .meta, .explain { color: #4b5563; }
            .note { color: #7f1d1d; }
            .none { color: #6b7280; font-style: italic; }
            nav { margin-top: 8px; }
            a { color: #1d4ed8; }
            .overall { display: inline-block; font-weight: bold; padding: 4px 10px; border-radius: 4px; margin: 4px 0; }
            table { border-collapse: collapse; margin: 6px 0 10px; }
            th, td { border: 1px solid #d1d5db; padding: 3px 8px; text-align: left; vertical-align: top; }
            th { background: #f3f4f6; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            td.verdict { font-weight: bold; text-align: center; }
            .v-PASS { background: #dcfce7; color: #166534; }
            .v-FAIL { background: #fee2e2; color: #991b1b; }
            .v-EXPECTED { background: #fef3c7; color: #92400e; }
            table.summary tbody tr:last-child td { font-weight: bold; border-top: 2px solid #9ca3af; }
            .hists { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; }
            table.hist { font-size: 12px; }
            table.hist caption { text-align: left; font-weight: bold; padding-bottom: 2px; }
            td.bar { width: 140px; }
            td.bar span { display: block; height: 10px; background: #60a5fa; }
            .diagram { overflow-x: auto; border: 1px solid #d1d5db; border-radius: 4px; padding: 4px; background: #ffffff; }
            .diagram svg { display: block; }
            table.steps { font-size: 12px; font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace; }
            details { margin: 6px 0; }
            """;
}
