package eventports.report;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceDiagramTest {

    private static final List<String> ACTIONS = List.of("port_send_event", "port_getn", "port_queue_thread",
            "cv_waituntil_sig", "port_dequeue_thread", "port_check_return_cond", "portnowait", "port_block",
            "port_copy_event", "port_unblock", "port_alert", "port_close", "port_close_events");

    /** A made-up but shaped-like-real interleaving: {@code threads} threads plus env, full port state. */
    static Interleaving synthetic(int steps, int threads, long seed) {
        Random r = new Random(seed);
        List<Step> l = new ArrayList<>();
        List<String> queue = new ArrayList<>(), ring = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            String t = r.nextInt(threads + 1) == threads ? "env" : "T" + r.nextInt(threads);
            String action = ACTIONS.get(r.nextInt(ACTIONS.size()));
            if (action.equals("port_send_event")) {
                queue.add("e" + i);
            } else if (action.equals("portnowait")) {
                queue.clear();
            } else if (action.equals("port_queue_thread") && !ring.contains(t)) {
                ring.add(t);
            } else if (action.equals("port_dequeue_thread")) {
                ring.remove(t);
            }
            // details up to the longest shown (64 characters), so the widest layout is exercised
            String detail = "x".repeat(r.nextInt(40)) + (i % 10 == 0 ? "y".repeat(30) : "");
            Step s = Step.of(t, t.equals("env") ? 0 : 1 + r.nextInt(2), action, detail,
                    new PortState(queue, List.of(), ring, i % 7 == 0 ? List.of("CLOSE", "BLOCKED") : List.of(),
                            queue.size(), ring.size(), r.nextInt(2)));
            if (action.equals("cv_waituntil_sig")) {
                s = s.returning();
            }
            if (action.equals("port_send_event") && !ring.isEmpty()) {
                s = s.waking(ring.get(0));
            }
            if (action.equals("port_alert")) {
                for (String w : ring) {
                    s = s.waking(w);
                }
            }
            l.add(i == steps - 1 ? s.highlighted() : s);
        }
        return new Interleaving("synthetic", "illumos", Interleaving.Kind.TLC_COUNTEREXAMPLE, "", l);
    }

    @Test
    void wellFormedWithOneLifelinePerThreadAndOneArrowPerStep() throws Exception {
        Interleaving il = synthetic(60, 6, 1);
        Document d = Svg.parse(SequenceDiagram.document(il));

        Set<String> threads = new LinkedHashSet<>();
        int wakes = 0;
        for (Step s : il.steps()) {
            threads.add(s.thread());
            threads.addAll(s.wakes());
            wakes += s.wakes().size();
        }
        List<Element> lifelines = Svg.find(d, "line", "lifeline thread");
        assertEquals(threads.size(), lifelines.size());
        assertEquals(threads, new LinkedHashSet<>(lifelines.stream().map(e -> e.getAttribute("data-name")).toList()));
        assertEquals(1, Svg.find(d, "line", "lifeline port").size());
        assertEquals(60, Svg.find(d, "g", "step").size());
        assertEquals(60, Svg.find(d, "g", "arrow").size());
        assertEquals(wakes, Svg.find(d, "g", "wake").size());
        assertEquals(1, Svg.find(d, "rect", "row-highlight").size());
    }

    @Test
    void everyLabelFitsOnItsArrowAndLeftOfTheStateColumn() throws Exception {
        // readability: an action name or detail never runs over the port lifeline into the state text
        Document d = Svg.parse(SequenceDiagram.svg(synthetic(60, 6, 2)));
        double portX = Svg.num(Svg.find(d, "line", "lifeline port").get(0), "x1");
        double stateX = Double.POSITIVE_INFINITY;
        for (Element t : Svg.find(d, "text", "state")) {
            stateX = Math.min(stateX, Svg.num(t, "x"));
        }
        assertTrue(stateX > portX, "state column right of the port");
        for (Element g : Svg.find(d, "g", "step")) {
            for (String cls : List.of("action", "detail")) {
                for (Element t : Svg.children(g, "text", cls)) {
                    int px = Integer.parseInt(t.getAttribute("font-size"));
                    double right = Svg.num(t, "x") + SequenceDiagram.textWidth(t.getTextContent(), px);
                    assertTrue(right < portX, "step " + g.getAttribute("data-step") + " " + cls + " ends at " + right
                            + ", port at " + portX);
                }
            }
        }
    }

    @Test
    void onePortLifelinePerPortAndNoStepsStillDraws() throws Exception {
        Step a = Step.of("T1", 1, "port_send_event", "", PortState.counters(1, 0, 0)).on("port 1");
        Step b = Step.of("T1", 1, "port_send_event", "", PortState.counters(1, 0, 0)).on("port 2");
        Document d = Svg.parse(SequenceDiagram.svg(new Interleaving("two", "", Interleaving.Kind.TRACE, "", List.of(a, b))));
        assertEquals(2, Svg.find(d, "line", "lifeline port").size());
        assertEquals(0, Svg.find(d, "g", "step").stream().mapToInt(g -> Svg.children(g, "tspan", "changed").size()).sum(),
                "each port's state is compared with its own");

        Document empty = Svg.parse(SequenceDiagram.svg(new Interleaving("none", "", Interleaving.Kind.TRACE, "", List.of())));
        assertEquals(1, Svg.find(empty, "line", "lifeline port").size());
        assertEquals(0, Svg.find(empty, "g", "arrow").size());
    }

    @Test
    void textIsEscapedAndUnrepresentableCharactersDropped() throws Exception {
        String nasty = "<script>alert(\"x\")</script> & 'q' \u0000\u0007 \uD800 ok";
        Step s = Step.of("T<1>", 1, "port_getn", nasty,
                new PortState(List.of("<e&1>", "\u0001"), null, List.of("T<1>"), null, 1, 2, 0)).waking("T&2");
        Interleaving il = new Interleaving("a <b> & \"c\"", "illumos", Interleaving.Kind.REJECTED_TRACE, "", List.of(s));
        String svg = SequenceDiagram.svg(il);
        Document d = Svg.parse(svg);
        assertTrue(!svg.contains("<script"), "markup in text is escaped");
        Element detail = Svg.find(d, "text", "detail").get(0);
        assertEquals("<script>alert(\"x\")</script> & 'q'   ok", detail.getTextContent());
        Set<String> names = new LinkedHashSet<>();
        Svg.find(d, "line", "lifeline thread").forEach(e -> names.add(e.getAttribute("data-name")));
        assertEquals(Set.of("T<1>", "T&2"), names);
        // a value cannot forge the changed-item markup, and is escaped like any text
        assertEquals("queue [<e&1> ]  ring [T<1>]", Svg.find(d, "text", "state").get(0).getTextContent());
    }

    @Test
    void changedStateItemsAreMarkedAgainstTheLastKnownValue() {
        java.util.Map<String, String> known = new java.util.LinkedHashMap<>();
        assertEquals(List.of("nent 1"), List.of(SequenceDiagram.stateText(PortState.counters(1, null, null), known)));
        // thrcnt appears for the first time: not marked; nent is unchanged
        assertEquals(List.of("nent 1  thrcnt 2"),
                List.of(SequenceDiagram.stateText(PortState.counters(1, 2, null), known)));
        // a record that names only thrcnt is compared with thrcnt's last value, not with "unknown"
        assertEquals(List.of("\u0001thrcnt 1\u0002"),
                List.of(SequenceDiagram.stateText(PortState.counters(null, 1, null), known)));
        assertEquals(0, SequenceDiagram.stateText(null, known).length);
    }
}
