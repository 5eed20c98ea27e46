package eventports.conformance;

import eventports.kernel.Profile;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One name from the seed to the trace (CONTRIBUTING.md, "a new spec action"): every action of
 * spec/EventPort.tla's Next is matched by name in spec/TraceEventPort.tla, emitted by the core
 * as a record of that name, documented in trace-validation/FORMAT.md, and performed by a Java
 * method of the same name in camelCase; and every record the corpus runs emit is one that
 * TraceEventPort.tla names and FORMAT.md documents — a record nobody matches would be taken
 * for a step that changes nothing, and trace validation would not notice what it stands for.
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
            if (!core.contains("\"" + a + "\"")) {
                gaps.add(a + ": the core emits no record \"" + a + "\"");
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
        for (Path f : ConformanceRunner.collect(List.of(ConformanceCorpusTest.CORPUS))) {
            Scenario sc = Scenario.parse(f);
            for (Profile p : sc.profiles()) {
                MemorySink sink = new MemorySink();
                new ScenarioRun(sc, p, sink).run();
                sink.records().stream().map(TraceRecord::action).forEach(actions::add);
            }
        }
        assertTrue(actions.size() >= 25, "the corpus emits only " + actions);
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
}
