package eventports.conformance;

import eventports.kernel.Profile;
import eventports.trace.Action;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One name from the seed to the trace (CONTRIBUTING.md, "a new spec action"): every action of
 * spec/EventPort.tla's Next is matched by name in spec/TraceEventPort.tla, emitted by the core
 * as a record of that name, documented in trace-validation/FORMAT.md, and performed by a Java
 * method of the same name in camelCase; and every record the corpus runs emit is one that
 * TraceEventPort.tla names and FORMAT.md documents — a record nobody matches would be taken
 * for a step that changes nothing, and trace validation would not notice what it stands for.
 * The records the core can emit are declared once, with their fields, in
 * {@code eventports.trace.Action}: each has a row in FORMAT.md and an arm in TraceEventPort's
 * TraceNext, and a corpus run emits no record or field the declaration leaves out.
 */
class VocabularyTest {
    static final Path ROOT = Path.of("..");

    /** Actions with no Java method of their name, and why. */
    static final Map<String, String> NO_METHOD = Map.of(
            "portnowait", "a label inside PortGetn.portGetn, as in port.c (port.c:1346)",
            "cv_waituntil_sig", "the scheduler seam's KCondVar.waitUntilSig");

    private static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }

    /** The actions EventPort's Next is the disjunction of. */
    static List<String> specActions() throws IOException {
        String spec = read("spec/EventPort.tla");
        int from = spec.indexOf("\nNext ==");
        assertTrue(from >= 0, "EventPort.tla defines no Next");
        String next = spec.substring(from, spec.indexOf("\n\n", from));
        List<String> actions = new ArrayList<>();
        Matcher m = Pattern.compile("(?:\\\\/|:)\\s*(\\w+)\\(").matcher(next);
        while (m.find()) {
            actions.add(m.group(1));
        }
        assertTrue(actions.size() >= 20, "found only " + actions + " in Next");
        return actions;
    }

    /** Every main source of the core, as one text. */
    private static String coreSources() throws IOException {
        try (Stream<Path> s = Files.walk(ROOT.resolve("impl/src/main/java"))) {
            StringBuilder b = new StringBuilder();
            for (Path p : s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
                b.append(Files.readString(p)).append('\n');
            }
            return b.toString();
        }
    }

    static String camel(String action) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : action.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    @Test
    void everySpecActionHasAMatcherARecordADocumentedFormatAndAJavaMethod() throws IOException {
        String traceSpec = read("spec/TraceEventPort.tla");
        String format = read("trace-validation/FORMAT.md");
        String core = coreSources();
        List<String> gaps = new ArrayList<>();
        for (String a : specActions()) {
            if (!traceSpec.contains("\"" + a + "\"")) {
                gaps.add(a + ": no matcher in spec/TraceEventPort.tla");
            }
            if (Action.of(a) == null || !core.contains("Action." + Action.of(a).name())) {
                gaps.add(a + ": the core emits no record \"" + a + "\" (eventports.trace.Action)");
            }
            if (!format.contains("`" + a + "`")) {
                gaps.add(a + ": not documented in trace-validation/FORMAT.md");
            }
            if (!NO_METHOD.containsKey(a) && !Pattern.compile("\\s" + camel(a) + "\\(").matcher(core).find()) {
                gaps.add(a + ": no Java method " + camel(a) + " in the core");
            }
        }
        assertTrue(gaps.isEmpty(), String.join("\n", gaps));
    }

    @Test
    void everyRecordTheCorpusEmitsIsMatchedAndDocumented() throws Exception {
        Set<String> actions = new TreeSet<>();
        Set<String> undeclared = new TreeSet<>();
        for (Path f : ConformanceRunner.collect(List.of(ConformanceCorpusTest.CORPUS))) {
            Scenario sc = Scenario.parse(f);
            for (Profile p : sc.profiles()) {
                MemorySink sink = new MemorySink();
                new ScenarioRun(sc, p, sink).run();
                sink.records().stream().map(TraceRecord::action).forEach(actions::add);
                undeclared.addAll(undeclared(sink.records()));
            }
        }
        assertTrue(actions.size() >= 25, "the corpus emits only " + actions);
        assertTrue(undeclared.isEmpty(), String.join("\n", undeclared));
        String traceSpec = read("spec/TraceEventPort.tla");
        String format = read("trace-validation/FORMAT.md");
        List<String> gaps = new ArrayList<>();
        for (String a : actions) {
            if (!traceSpec.contains("\"" + a + "\"")) {
                gaps.add(a + ": emitted, but spec/TraceEventPort.tla does not name it");
            }
            if (!format.contains("`" + a + "`")) {
                gaps.add(a + ": emitted, but trace-validation/FORMAT.md does not document it");
            }
        }
        assertTrue(gaps.isEmpty(), String.join("\n", gaps));
    }

    /** The actions TraceEventPort.tla's TraceNext dispatches on (its CASE arms on r.action). */
    static Set<String> matched(String traceSpec) {
        int from = traceSpec.indexOf("\nTraceNext ==");
        assertTrue(from >= 0, "TraceEventPort.tla defines no TraceNext");
        String next = traceSpec.substring(from, traceSpec.indexOf("\n\n", from));
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("r\\.action\\s*(?:=\\s*\"(\\w+)\"|\\\\in\\s*\\{([^}]*)\\})\\s*->").matcher(next);
        while (m.find()) {
            String names = m.group(1) != null ? "\"" + m.group(1) + "\"" : m.group(2);
            Matcher q = Pattern.compile("\"(\\w+)\"").matcher(names);
            while (q.find()) {
                out.add(q.group(1));
            }
        }
        return out;
    }

    /** The actions FORMAT.md's lock-level table has a row for (the names in a row's first cell). */
    static Set<String> documented(String format) {
        int end = format.indexOf("\n# Level api");
        Set<String> out = new TreeSet<>();
        for (String line : (end < 0 ? format : format.substring(0, end)).split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher q = Pattern.compile("`(\\w+)`").matcher(line.substring(0, line.indexOf('|', 1)));
            while (q.find()) {
                out.add(q.group(1));
            }
        }
        return out;
    }

    /** What keeps the declared vocabulary from being validated: one line per missing row or arm. */
    static List<String> declarationGaps(String format, String traceSpec) {
        Set<String> doc = documented(format);
        Set<String> arms = matched(traceSpec);
        List<String> gaps = new ArrayList<>();
        for (Action a : Action.values()) {
            if (!doc.contains(a.id())) {
                gaps.add(a.id() + ": declared in eventports.trace.Action, no row in trace-validation/FORMAT.md");
            }
            if (!arms.contains(a.id())) {
                gaps.add(a.id() + ": declared in eventports.trace.Action, no arm in TraceEventPort.tla's TraceNext");
            }
        }
        return gaps;
    }

    /** The records that leave the declaration: an undeclared action, or a field its action does not declare. */
    static List<String> undeclared(List<TraceRecord> records) {
        Set<String> out = new LinkedHashSet<>();
        for (TraceRecord r : records) {
            Action a = Action.of(r.action());
            if (a == null) {
                out.add(r.action() + ": emitted, not declared in eventports.trace.Action");
                continue;
            }
            for (String f : r.fields().keySet()) {
                if (!a.fields().contains(f)) {
                    out.add(r.action() + ": field " + f + " emitted, not declared in eventports.trace.Action");
                }
            }
        }
        return new ArrayList<>(out);
    }

    @Test
    void everyDeclaredActionIsDocumentedAndMatched() throws IOException {
        List<String> gaps = declarationGaps(read("trace-validation/FORMAT.md"), read("spec/TraceEventPort.tla"));
        assertTrue(gaps.isEmpty(), String.join("\n", gaps));
    }

    /** Teeth: a FORMAT.md row or a TraceNext arm taken away is a gap the check names. */
    @Test
    void aMissingRowOrArmIsNamed() throws IOException {
        String format = read("trace-validation/FORMAT.md");
        String spec = read("spec/TraceEventPort.tla");
        assertEquals(List.of(), declarationGaps(format, spec));
        String noRow = format.lines().filter(l -> !l.startsWith("| `timer_create`"))
                .collect(Collectors.joining("\n"));
        assertEquals(List.of("timer_create: declared in eventports.trace.Action, no row in trace-validation/FORMAT.md"),
                declarationGaps(noRow, spec));
        String noArm = spec.replace("[] r.action = \"port_pollwkdone\" -> MatchPollwkdone(r)", "");
        assertEquals(List.of("port_pollwkdone: declared in eventports.trace.Action, no arm in TraceEventPort.tla's TraceNext"),
                declarationGaps(format, noArm));
        String inSet = spec.replace("\"port_fop_sendevent\", ", "");
        assertEquals(List.of("port_fop_sendevent: declared in eventports.trace.Action, no arm in TraceEventPort.tla's TraceNext"),
                declarationGaps(format, inSet));
    }

    /** Teeth: an undeclared action and an undeclared field are named. */
    @Test
    void anUndeclaredRecordOrFieldIsNamed() {
        List<TraceRecord> doctored = List.of(
                new TraceRecord(0, "port_send_event", "T0", 1, 1, Map.of("kev", 1, "source", 3)),
                new TraceRecord(1, "port_wake_everyone", "T0", 1, 1, Map.of()),
                new TraceRecord(2, "port_copy_event", "T1", 1, 1, Map.of("kev", 1, "user", "u")));
        assertEquals(List.of("port_wake_everyone: emitted, not declared in eventports.trace.Action",
                "port_copy_event: field user emitted, not declared in eventports.trace.Action"), undeclared(doctored));
    }
}
