package eventports.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws an {@link Interleaving} as an SVG sequence diagram: one lifeline per thread, then one
 * per port, then a column with the port's state after each step. Each step is one row: an
 * arrow thread → port (port → thread when the thread returns from a sleep), the action name
 * above it and the detail below, both starting at the thread's lifeline so a reader finds
 * them where the arrow starts; dashed arrows port → thread for the threads the step wakes.
 *
 * <p>Text is monospace so its width can be estimated without a font engine; the gaps between
 * lifelines are then widened, left to right, until every label fits on its own arrow (the
 * way PlantUML spaces participants). Labels have a white halo so the lifelines they cross do
 * not strike them through. Colours and class names are part of the contract with the tests:
 * the port header fill {@link #PORT_FILL} appears nowhere else in the report.
 */
public final class SequenceDiagram {
    private SequenceDiagram() {}

    static final String PORT_FILL = "#fde68a";
    static final String THREAD_FILL = "#dbeafe";
    static final String ENV_FILL = "#e5e7eb";
    static final String FONT_FAMILY = "'DejaVu Sans Mono','Liberation Mono',Menlo,Consolas,monospace";

    /** Advance of one monospace character per pixel of font size (DejaVu Sans Mono: 0.602). */
    private static final double CHAR_EM = 0.61;
    private static final int ACTION_PX = 12, DETAIL_PX = 11, HEAD_PX = 12;
    private static final int MAX_DETAIL = 64;
    private static final int GUTTER = 40, TOP = 8, BOX_H = 36, MIN_GAP = 110, LABEL_PAD = 10, HEAD_LEN = 9;
    private static final int ROW_H = 38, WAKE_H = 12, STATE_GAP = 28, LEGEND_MARK = 28;
    /** Bracket a changed item in a state line (see {@link #drawStateLine}). */
    private static final char ON = '\u0001', OFF = '\u0002';
    private static final String SLEEP_FILL = "#ede9fe";
    private static final String[][] LEGEND = {
        {"arrow", "action on the port"}, {"return", "returns from a sleep"}, {"wake", "wakes a thread (cv_signal)"},
        {"asleep", "asleep in the port"}, {"changed", "changed by the step"}, {"fails", "where it fails"}};

    static double textWidth(String s, int px) {
        return s.codePointCount(0, s.length()) * px * CHAR_EM;
    }

    private record Lane(String name, String sub, boolean port, boolean env, double boxWidth) {}

    /** The SVG element alone (for inlining in HTML); see {@link #document} for a file. */
    public static String svg(Interleaving il) {
        return new Layout(il).draw();
    }

    /** A standalone SVG file. */
    public static String document(Interleaving il) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg(il);
    }

    private static final class Layout {
        final Interleaving il;
        final List<Step> steps;
        final Map<String, Integer> laneIndex = new LinkedHashMap<>();
        final List<Lane> lanes = new ArrayList<>();
        final double[] x;
        final List<String[]> stateLines = new ArrayList<>();
        final double stateX, width, height, rowsTop, rowsBottom;
        final double[] rowTop;

        Layout(Interleaving il) {
            this.il = il;
            this.steps = il.steps();
            Map<String, Integer> pids = new LinkedHashMap<>();
            List<String> ports = new ArrayList<>();
            for (Step s : steps) {
                pids.putIfAbsent(s.thread(), s.pid());
                s.wakes().forEach(w -> pids.putIfAbsent(w, -1));
                if (!ports.contains(s.port())) {
                    ports.add(s.port());
                }
            }
            if (ports.isEmpty()) {
                ports.add(Step.PORT);
            }
            // a woken thread may be named before its own first step: take its pid from there
            for (Step s : steps) {
                pids.computeIfPresent(s.thread(), (k, v) -> v < 0 ? s.pid() : v);
            }
            pids.forEach((t, pid) -> addLane(t, pid > 0 ? "pid " + pid : "", false, "env".equals(t)));
            ports.forEach(p -> addLane(p, "", true, false));

            x = new double[lanes.size()];
            double[] need = new double[lanes.size() * lanes.size()];
            int n = lanes.size();
            for (Step s : steps) {
                int t = thread(s.thread()), p = port(s.port());
                double w = Math.max(textWidth(s.action(), ACTION_PX), textWidth(shownDetail(s), DETAIL_PX))
                        + 2 * LABEL_PAD + HEAD_LEN;
                int a = Math.min(t, p), b = Math.max(t, p);
                need[a * n + b] = Math.max(need[a * n + b], w);
            }
            for (int b = 0; b < n; b++) {
                if (b == 0) {
                    x[b] = GUTTER + lanes.get(0).boxWidth() / 2;
                    continue;
                }
                double xb = x[b - 1] + Math.max(MIN_GAP, (lanes.get(b - 1).boxWidth() + lanes.get(b).boxWidth()) / 2 + 16);
                for (int a = 0; a < b; a++) {
                    xb = Math.max(xb, x[a] + need[a * n + b]);
                }
                x[b] = xb;
            }

            Map<String, Map<String, String>> knownByPort = new LinkedHashMap<>();
            double stateW = textWidth("port state after the step", DETAIL_PX);
            for (Step s : steps) {
                String[] lines = stateText(s.state(), knownByPort.computeIfAbsent(s.port(), k -> new LinkedHashMap<>()));
                stateLines.add(lines);
                for (String line : lines) {
                    stateW = Math.max(stateW, textWidth(plain(line), DETAIL_PX));
                }
            }
            stateX = x[n - 1] + lanes.get(n - 1).boxWidth() / 2 + STATE_GAP;
            width = Math.ceil(Math.max(stateX + stateW + 16, GUTTER + legendWidth() + 16));

            rowsTop = TOP + BOX_H + 16;
            rowTop = new double[steps.size() + 1];
            double y = rowsTop;
            for (int i = 0; i < steps.size(); i++) {
                rowTop[i] = y;
                y += ROW_H + (steps.get(i).wakes().isEmpty() ? 0 : WAKE_H);
            }
            rowTop[steps.size()] = y;
            rowsBottom = y;
            height = Math.ceil(rowsBottom + 8 + BOX_H + 8 + 20);
        }

        // threads and ports are keyed apart: a thread may well be called "port"
        private int thread(String name) {
            return laneIndex.get("t:" + name);
        }

        private int port(String name) {
            return laneIndex.get("p:" + name);
        }

        private void addLane(String name, String sub, boolean port, boolean env) {
            double w = Math.max(72, Math.max(textWidth(name, HEAD_PX), textWidth(sub, DETAIL_PX)) + 18);
            laneIndex.put((port ? "p:" : "t:") + name, lanes.size());
            lanes.add(new Lane(name, sub, port, env, w));
        }

        String draw() {
            StringBuilder o = new StringBuilder(8192 + steps.size() * 900);
            o.append(String.format(Locale.ROOT,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"seqdiag\" width=\"%.0f\" height=\"%.0f\" "
                            + "viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\" role=\"img\" aria-label=\"%s\">\n",
                    width, height, width, height, Xml.esc(FONT_FAMILY), Xml.esc(il.title())));
            o.append("<title>").append(Xml.esc(il.title())).append("</title>\n");
            o.append("<rect class=\"bg\" x=\"0\" y=\"0\" width=\"").append(fmt(width)).append("\" height=\"")
                    .append(fmt(height)).append("\" fill=\"#ffffff\"/>\n");
            drawRowBackgrounds(o);
            drawLifelines(o);
            drawSleeps(o);
            drawHeaders(o, TOP, "actor");
            drawHeaders(o, rowsBottom + 8, "actor foot");
            text(o, stateX, TOP + BOX_H - 6, "state-head", DETAIL_PX, "#6b7280", "port state after the step", false);
            for (int i = 0; i < steps.size(); i++) {
                drawStep(o, i);
            }
            drawLegend(o);
            o.append("</svg>\n");
            return o.toString();
        }

        private void drawRowBackgrounds(StringBuilder o) {
            for (int i = 0; i < steps.size(); i++) {
                boolean hl = steps.get(i).highlight();
                if (!hl && i % 2 == 0) {
                    continue;
                }
                o.append("<rect class=\"").append(hl ? "row-highlight" : "row-alt").append("\" x=\"2\" y=\"")
                        .append(fmt(rowTop[i])).append("\" width=\"").append(fmt(width - 4)).append("\" height=\"")
                        .append(fmt(rowTop[i + 1] - rowTop[i])).append("\" fill=\"")
                        .append(hl ? "#fee2e2" : "#f3f4f6").append('"')
                        .append(hl ? " stroke=\"#dc2626\" stroke-width=\"1\"" : "").append("/>\n");
            }
        }

        private void drawLifelines(StringBuilder o) {
            for (int i = 0; i < lanes.size(); i++) {
                Lane l = lanes.get(i);
                o.append("<line class=\"lifeline ").append(l.port() ? "port" : "thread").append("\" data-name=\"")
                        .append(Xml.esc(l.name())).append("\" x1=\"").append(fmt(x[i])).append("\" y1=\"")
                        .append(fmt(TOP + BOX_H)).append("\" x2=\"").append(fmt(x[i])).append("\" y2=\"")
                        .append(fmt(rowsBottom + 8)).append("\" stroke=\"").append(l.port() ? "#92400e" : "#64748b")
                        .append("\" stroke-width=\"").append(l.port() ? "2" : "1")
                        .append("\" stroke-dasharray=\"").append(l.port() ? "none" : "5 4").append("\"/>\n");
            }
        }

        /** A bar on the lifeline from the step after which the thread sleeps to its next step. */
        private void drawSleeps(StringBuilder o) {
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                if (!s.sleeps()) {
                    continue;
                }
                int j = i + 1;
                while (j < steps.size() && !steps.get(j).thread().equals(s.thread())) {
                    j++;
                }
                double from = arrowY(i), to = j < steps.size() ? arrowY(j) : rowsBottom;
                o.append("<rect class=\"asleep\" x=\"").append(fmt(x[thread(s.thread())] - 4)).append("\" y=\"")
                        .append(fmt(from)).append("\" width=\"8\" height=\"").append(fmt(to - from))
                        .append("\" fill=\"").append(SLEEP_FILL).append("\" stroke=\"#7c3aed\" stroke-width=\"1\"/>\n");
            }
        }

        private double arrowY(int i) {
            return rowTop[i] + 17;
        }

        private void drawHeaders(StringBuilder o, double top, String cls) {
            for (int i = 0; i < lanes.size(); i++) {
                Lane l = lanes.get(i);
                String fill = l.port() ? PORT_FILL : l.env() ? ENV_FILL : THREAD_FILL;
                String stroke = l.port() ? "#92400e" : "#1e3a8a";
                o.append("<g class=\"").append(cls).append("\">");
                o.append("<rect x=\"").append(fmt(x[i] - l.boxWidth() / 2)).append("\" y=\"").append(fmt(top))
                        .append("\" width=\"").append(fmt(l.boxWidth())).append("\" height=\"").append(BOX_H)
                        .append("\" rx=\"4\" fill=\"").append(fill).append("\" stroke=\"").append(stroke).append("\"/>");
                o.append(String.format(Locale.ROOT,
                        "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"%d\" font-weight=\"bold\" fill=\"#111827\">%s</text>",
                        fmt(x[i]), fmt(top + (l.sub().isEmpty() ? 23 : 16)), HEAD_PX, Xml.esc(l.name())));
                if (!l.sub().isEmpty()) {
                    o.append(String.format(Locale.ROOT,
                            "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\" font-size=\"%d\" fill=\"#4b5563\">%s</text>",
                            fmt(x[i]), fmt(top + 30), DETAIL_PX, Xml.esc(l.sub())));
                }
                o.append("</g>\n");
            }
        }

        private void drawStep(StringBuilder o, int i) {
            Step s = steps.get(i);
            double tx = x[thread(s.thread())], px = x[port(s.port())];
            double y = arrowY(i);
            String colour = s.highlight() ? "#b91c1c" : s.fromPort() ? "#1d4ed8" : "#1f2937";
            o.append("<g class=\"step\" data-step=\"").append(i + 1).append("\">");
            o.append("<title>").append(Xml.esc(tooltip(i, s))).append("</title>");
            text(o, GUTTER - 10, y + 4, "num", DETAIL_PX, "#6b7280", String.valueOf(i + 1), false, "end");
            arrow(o, "arrow", s.fromPort() ? px : tx, s.fromPort() ? tx : px, y, colour, false);
            text(o, tx + LABEL_PAD, y - 5, "action", ACTION_PX, colour, s.action(), true);
            String detail = shownDetail(s);
            if (!detail.isEmpty()) {
                text(o, tx + LABEL_PAD, y + 14, "detail", DETAIL_PX, "#374151", detail, false);
            }
            for (String w : s.wakes()) {
                arrow(o, "wake", px, x[thread(w)], y + 26, "#d97706", true);
            }
            String[] st = stateLines.get(i);
            if (st.length > 0) {
                drawStateLine(o, "state", stateX, y - 5, st[0]);
            }
            if (st.length > 1) {
                drawStateLine(o, "state", stateX, y + 14, st[1]);
            }
            o.append("</g>\n");
        }

        /** A sample of each mark, then its meaning, in one line under the diagram. */
        private void drawLegend(StringBuilder o) {
            double lx = GUTTER, y = height - 12;
            o.append("<g class=\"legend\">");
            for (String[] item : LEGEND) {
                double mark = item[0].equals("changed") ? textWidth("nent 1", DETAIL_PX) : LEGEND_MARK;
                switch (item[0]) {
                    case "arrow" -> arrow(o, "legend-mark", lx, lx + mark, y - 4, "#1f2937", false);
                    case "return" -> arrow(o, "legend-mark", lx + mark, lx, y - 4, "#1d4ed8", false);
                    case "wake" -> arrow(o, "legend-mark", lx + mark, lx, y - 4, "#d97706", true);
                    case "asleep" -> o.append("<rect x=\"").append(fmt(lx + mark / 2 - 4)).append("\" y=\"").append(fmt(y - 12))
                            .append("\" width=\"8\" height=\"14\" fill=\"").append(SLEEP_FILL).append("\" stroke=\"#7c3aed\"/>");
                    case "changed" -> drawStateLine(o, "legend-text", lx, y, ON + "nent 1" + OFF);
                    default -> o.append("<rect x=\"").append(fmt(lx)).append("\" y=\"").append(fmt(y - 12)).append("\" width=\"")
                            .append(fmt(mark)).append("\" height=\"14\" fill=\"#fee2e2\" stroke=\"#dc2626\"/>");
                }
                lx += mark + 6;
                text(o, lx, y, "legend-text", DETAIL_PX, "#4b5563", item[1], false);
                lx += textWidth(item[1], DETAIL_PX) + 18;
            }
            o.append("</g>\n");
        }

        private static double legendWidth() {
            double w = 0;
            for (String[] item : LEGEND) {
                w += (item[0].equals("changed") ? textWidth("nent 1", DETAIL_PX) : LEGEND_MARK) + 6
                        + textWidth(item[1], DETAIL_PX) + 18;
            }
            return w;
        }
    }

    /** Line and filled head; the head is a polygon so no marker ids can clash between inlined SVGs. */
    private static void arrow(StringBuilder o, String cls, double from, double to, double y, String colour, boolean dashed) {
        double dir = Math.signum(to - from);
        double end = to - dir * HEAD_LEN;
        o.append("<g class=\"").append(cls).append("\">");
        o.append("<line x1=\"").append(fmt(from)).append("\" y1=\"").append(fmt(y)).append("\" x2=\"").append(fmt(end))
                .append("\" y2=\"").append(fmt(y)).append("\" stroke=\"").append(colour).append("\" stroke-width=\"")
                .append(dashed ? "1.5" : "1.8").append('"').append(dashed ? " stroke-dasharray=\"6 3\"" : "").append("/>");
        o.append("<polygon points=\"").append(fmt(to)).append(',').append(fmt(y)).append(' ')
                .append(fmt(end)).append(',').append(fmt(y - 4.5)).append(' ')
                .append(fmt(end)).append(',').append(fmt(y + 4.5)).append("\" fill=\"").append(colour).append("\"/>");
        o.append("</g>");
    }

    private static void text(StringBuilder o, double x, double y, String cls, int px, String colour, String s, boolean bold) {
        text(o, x, y, cls, px, colour, s, bold, "start");
    }

    private static void text(StringBuilder o, double x, double y, String cls, int px, String colour, String s,
                             boolean bold, String anchor) {
        o.append("<text class=\"").append(cls).append("\" x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y))
                .append("\" font-size=\"").append(px).append("\" fill=\"").append(colour).append('"')
                .append(bold ? " font-weight=\"bold\"" : "")
                .append("start".equals(anchor) ? "" : " text-anchor=\"" + anchor + "\"")
                .append(" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">")
                .append(Xml.esc(s)).append("</text>");
    }

    /**
     * State lines use a tiny markup: items that changed since the port's previous known value
     * are wrapped in the control characters U+0001 … U+0002 and drawn bold blue; they are
     * removed from the values themselves first ({@link #item}), so no name can forge them.
     */
    private static void drawStateLine(StringBuilder o, String cls, double x, double y, String line) {
        o.append("<text class=\"").append(cls).append("\" x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y))
                .append("\" font-size=\"").append(DETAIL_PX).append("\" fill=\"#374151\">");
        int i = 0;
        while (i < line.length()) {
            int a = line.indexOf(ON, i);
            if (a < 0) {
                o.append(Xml.esc(line.substring(i)));
                break;
            }
            int b = line.indexOf(OFF, a);
            o.append(Xml.esc(line.substring(i, a)));
            o.append("<tspan class=\"changed\" font-weight=\"bold\" fill=\"#1d4ed8\">")
                    .append(Xml.esc(line.substring(a + 1, b))).append("</tspan>");
            i = b + 1;
        }
        o.append("</text>");
    }

    private static String plain(String line) {
        return line.replace(String.valueOf(ON), "").replace(String.valueOf(OFF), "");
    }

    /** The port state as one line of plain text, for tables. */
    static String stateSummary(PortState s) {
        return String.join("  ", stateText(s, null));
    }

    /**
     * Two lines: the lists, then flags and counters. {@code known} holds each item's last known
     * value on this port (a trace names only some items per record); an item that differs from
     * it is marked, and {@code known} is updated. With {@code known == null} nothing is marked.
     */
    static String[] stateText(PortState s, Map<String, String> known) {
        if (s == null || s.isEmpty()) {
            return new String[0];
        }
        List<String> l1 = new ArrayList<>(), l2 = new ArrayList<>();
        item(l1, "queue", list(s.queue()), known);
        item(l1, "temp", list(s.temp()), known);
        item(l1, "ring", list(s.ring()), known);
        item(l2, "flags", flags(s.flags()), known);
        item(l2, "nent", num(s.nent()), known);
        item(l2, "thrcnt", num(s.thrcnt()), known);
        item(l2, "getn", num(s.getn()), known);
        if (l1.isEmpty()) {
            return new String[] {String.join("  ", l2)};
        }
        return l2.isEmpty() ? new String[] {String.join("  ", l1)}
                : new String[] {String.join("  ", l1), String.join("  ", l2)};
    }

    private static void item(List<String> out, String name, String value, Map<String, String> known) {
        if (value == null) {
            return;
        }
        String text = plain(name + " " + value);
        // an item's first known value has nothing to differ from: it is not marked
        String before = known == null ? null : known.put(name, value);
        out.add(before != null && !before.equals(value) ? ON + text + OFF : text);
    }

    private static String list(List<String> l) {
        return l == null ? null : "[" + String.join(" ", l) + "]";
    }

    private static String flags(List<String> l) {
        return l == null ? null : l.isEmpty() ? "-" : String.join("|", l);
    }

    private static String num(Integer i) {
        return i == null ? null : i.toString();
    }

    private static String shownDetail(Step s) {
        String d = s.detail();
        return d.codePointCount(0, d.length()) <= MAX_DETAIL ? d
                : d.substring(0, d.offsetByCodePoints(0, MAX_DETAIL - 1)) + "…";
    }

    private static String tooltip(int i, Step s) {
        StringBuilder b = new StringBuilder().append(i + 1).append(". ").append(s.thread());
        if (s.pid() > 0) {
            b.append(" (pid ").append(s.pid()).append(')');
        }
        b.append(' ').append(s.action());
        if (!s.detail().isEmpty()) {
            b.append(": ").append(s.detail());
        }
        if (!s.wakes().isEmpty()) {
            b.append("; wakes ").append(String.join(", ", s.wakes()));
        }
        return b.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
