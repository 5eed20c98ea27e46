package eventports.mutation;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The score of a PIT run on the core, as issue 19 defines it: of the covered mutants that are
 * not recorded as equivalent, how many a test killed. PIT counts a mutant that timed out, ran
 * out of memory or crashed its minion as detected, and so does this report (on the
 * deterministic runtime a mutant that breaks a hand-off shows up as a bounded wait running
 * out). A mutant no test reaches is not covered: it is listed, not scored.
 *
 * <p>Equivalent mutants are kept in a file, one a line:
 * {@code Class:line | mutator | description | reason}, where Class is the mutated class's simple
 * name (a nested class with its {@code $}), mutator PIT's short name (VoidMethodCallMutator)
 * and description a part of PIT's description of the mutant. An entry matches every mutant of
 * that line, mutator and description; {@code Class:line/n} only the nth of them in bytecode
 * order, for a line where one such mutant is equivalent and its twin is killed. An entry that matches no mutant, or matches one a test
 * killed, is an error: the list must not outlive the code it speaks of. A named mutant that only
 * timed out refutes nothing (a minion on a loaded machine outruns PIT's timeout: RealSched:94's
 * "return true" of a statement that returns true timed out once): it stays equivalent and is
 * listed, for a look.
 */
public final class MutationReport {

    /** One mutant of PIT's mutations.xml. */
    record Mutant(String cls, String method, int line, String mutator, String description, String status, int index) {
        String simpleClass() {
            return cls.substring(cls.lastIndexOf('.') + 1);
        }

        boolean covered() {
            return !status.equals("NO_COVERAGE") && !status.equals("NON_VIABLE");
        }

        boolean killed() {
            return covered() && !status.equals("SURVIVED");
        }
    }

    /** One line of the equivalents file. */
    record Equivalent(String cls, int line, int nth, String mutator, String description, String reason, int lineNo) {
        private boolean alike(Mutant m) {
            return m.simpleClass().equals(cls) && m.line() == line && m.mutator().equals(mutator)
                    && m.description().contains(description);
        }

        /** The mutants it names: every one alike, or with {@code /nth} only the nth of them in bytecode order. */
        List<Mutant> hits(List<Mutant> ms) {
            List<Mutant> alike = ms.stream().filter(this::alike).sorted(Comparator.comparingInt(Mutant::index))
                    .collect(Collectors.toList());
            if (nth == 0) {
                return alike;
            }
            return nth <= alike.size() ? List.of(alike.get(nth - 1)) : List.of();
        }
    }

    /** What a run adds up to. */
    record Score(int killed, int covered, int equivalent, List<Mutant> survivors, List<Mutant> uncovered,
            List<Mutant> timedOutEquivalents) {
        String line() {
            return line("mutation score", killed, covered);
        }

        static String line(String what, int killed, int covered) {
            double pct = covered == 0 ? 0 : 100.0 * killed / covered;
            return String.format(Locale.ROOT, "%s: %d of %d covered mutants killed (%.1f %%)", what, killed,
                    covered, pct);
        }
    }

    /**
     * Whether a mutant sits in tracing code: its source line names the tracer ({@code tracer},
     * {@code tracing}, {@code trace(}) or sits in a block whose opening line does (an
     * {@code if (pp.sys.tracer != null) {} that chooses a record's fields), or its method only
     * builds records ({@code trace*}, {@code withIf}, port_getn's {@code entry}, and PortCheckpoint's
     * {@code checkpoint}, a record of the port's state). Those mutants change only the records,
     * which the trace validation sees (too slow to run per mutant), so the report gives the score
     * without them too.
     */
    static boolean tracing(Mutant m, Map<String, List<String>> sources) {
        if (m.method().startsWith("trace") || m.method().equals("entry") || m.method().equals("withIf")
                || m.description().contains("::trace") || m.description().contains("::entry")
                || m.cls().endsWith(".PortCheckpoint") || m.description().contains("PortCheckpoint::checkpoint")) {
            return true;
        }
        List<String> lines = sources.get(m.cls().replace('.', '/').replaceAll("\\$.*", "") + ".java");
        if (lines == null || m.line() < 1 || m.line() > lines.size()) {
            return false;
        }
        if (lines.get(m.line() - 1).toLowerCase(Locale.ROOT).contains("trac")) {
            return true;
        }
        // the enclosing blocks, innermost first, up to the method's declaration
        int depth = 0;
        for (int i = m.line() - 2; i >= 0; i--) {
            String l = lines.get(i).strip();
            if (l.startsWith("//") || l.startsWith("*") || l.startsWith("/*")) {
                continue;
            }
            depth += count(l, '}') - count(l, '{');
            if (depth < 0) {
                if (l.toLowerCase(Locale.ROOT).contains("trac")) {
                    return true;
                }
                if (METHOD.matcher(l).matches()) {
                    return false;
                }
                depth = 0;
            }
        }
        return false;
    }

    /** A method's or constructor's declaration line (modifiers, a name, parameters, an opening brace). */
    private static final java.util.regex.Pattern METHOD = java.util.regex.Pattern.compile(
            "(public |protected |private |static |final |synchronized )+[^=;]*\\(.*\\)\\s*(throws [\\w., ]+)?\\{\\s*");

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += s.charAt(i) == c ? 1 : 0;
        }
        return n;
    }

    /** The core's sources under {@code root}, by path relative to it. */
    static Map<String, List<String>> sources(Path root) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        if (root == null || !Files.isDirectory(root)) {
            return out;
        }
        try (var s = Files.walk(root)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
                out.put(root.relativize(f).toString().replace('\\', '/'), Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private MutationReport() {
    }

    static List<Mutant> readMutations(Path xml) throws Exception {
        var dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var doc = dbf.newDocumentBuilder().parse(xml.toFile());
        NodeList ns = doc.getElementsByTagName("mutation");
        List<Mutant> out = new ArrayList<>();
        for (int i = 0; i < ns.getLength(); i++) {
            Element e = (Element) ns.item(i);
            String mutator = text(e, "mutator");
            out.add(new Mutant(text(e, "mutatedClass"), text(e, "mutatedMethod"),
                    Integer.parseInt(text(e, "lineNumber")), mutator.substring(mutator.lastIndexOf('.') + 1),
                    text(e, "description"), e.getAttribute("status"), index(e)));
        }
        return out;
    }

    /** The mutant's first instruction index (its place in the method's bytecode), 0 if none is given. */
    private static int index(Element e) {
        String i = text(e, "index");
        return i.isEmpty() ? 0 : Integer.parseInt(i);
    }

    private static String text(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().trim();
    }

    static List<Equivalent> readEquivalents(Path file) throws IOException {
        List<Equivalent> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s*\\|\\s*", 4);
            String where = file.getFileName() + ":" + (i + 1);
            if (f.length != 4 || f[3].isBlank() || !f[0].contains(":")) {
                throw new IllegalArgumentException(where + ": expected 'Class:line | mutator | description | reason'");
            }
            String cls = f[0].substring(0, f[0].lastIndexOf(':'));
            String at = f[0].substring(f[0].lastIndexOf(':') + 1);
            int line;
            int nth = 0;
            try {
                int slash = at.indexOf('/');
                line = Integer.parseInt(slash < 0 ? at : at.substring(0, slash));
                if (slash >= 0) {
                    nth = Integer.parseInt(at.substring(slash + 1));
                    if (nth < 1) {
                        throw new IllegalArgumentException(where + ": '" + f[0] + "': n of /n counts from 1");
                    }
                }
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException(where + ": '" + f[0] + "' has no line number (Class:line or Class:line/n)");
            }
            out.add(new Equivalent(cls, line, nth, f[1], f[2], f[3], i + 1));
        }
        return out;
    }

    /** The score; throws if an equivalent matches no surviving mutant (a stale or wrong entry). */
    static Score score(List<Mutant> ms, List<Equivalent> eqs) {
        List<String> problems = new ArrayList<>();
        int equivalent = 0;
        java.util.Set<Mutant> named = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Equivalent q : eqs) {
            List<Mutant> hit = q.hits(ms);
            named.addAll(hit);
            if (hit.isEmpty()) {
                problems.add("equivalent on line " + q.lineNo() + " (" + q.cls() + ":" + q.line()
                        + ") matches no mutant");
            } else if (hit.stream().anyMatch(m -> m.status().equals("KILLED"))) {
                problems.add("equivalent on line " + q.lineNo() + " (" + q.cls() + ":" + q.line()
                        + ") matches a mutant a test killed: it is not equivalent");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("\n", problems));
        }
        int killed = 0;
        int covered = 0;
        List<Mutant> survivors = new ArrayList<>();
        List<Mutant> uncovered = new ArrayList<>();
        List<Mutant> timedOut = new ArrayList<>();
        for (Mutant m : ms) {
            if (named.contains(m)) {
                equivalent++;
                if (m.killed()) {
                    timedOut.add(m);
                }
            } else if (!m.covered()) {
                if (m.status().equals("NO_COVERAGE")) {
                    uncovered.add(m);
                }
            } else {
                covered++;
                if (m.killed()) {
                    killed++;
                } else {
                    survivors.add(m);
                }
            }
        }
        return new Score(killed, covered, equivalent, survivors, uncovered, timedOut);
    }

    static void print(Score s, PrintStream out) {
        print(s, Map.of(), out);
    }

    static void print(Score s, Map<String, List<String>> sources, PrintStream out) {
        out.println(s.line());
        out.println("(" + s.equivalent() + " equivalent mutants not counted, " + s.uncovered().size()
                + " not covered)");
        list("equivalent, but timed out in this run (a loaded minion, or a wrong entry: look)",
                s.timedOutEquivalents(), out);
        if (!sources.isEmpty()) {
            int tracingSurvivors = (int) s.survivors().stream().filter(m -> tracing(m, sources)).count();
            out.println(tracingSurvivors + " of the " + s.survivors().size()
                    + " survivors are in tracing code; without them: "
                    + Score.line("score outside tracing code", s.killed(), s.covered() - tracingSurvivors));
            list("survivors outside tracing code", s.survivors().stream().filter(m -> !tracing(m, sources))
                    .collect(Collectors.toList()), out);
            list("survivors in tracing code", s.survivors().stream().filter(m -> tracing(m, sources))
                    .collect(Collectors.toList()), out);
            list("not covered, outside tracing code", s.uncovered().stream().filter(m -> !tracing(m, sources))
                    .collect(Collectors.toList()), out);
            return;
        }
        list("survivors", s.survivors(), out);
        list("not covered", s.uncovered(), out);
    }

    private static void list(String title, List<Mutant> ms, PrintStream out) {
        if (ms.isEmpty()) {
            return;
        }
        out.println(title + " by class and line:");
        Map<String, List<Mutant>> byClass = ms.stream()
                .collect(Collectors.groupingBy(Mutant::simpleClass, TreeMap::new, Collectors.toList()));
        byClass.forEach((c, l) -> {
            out.println("  " + c + " (" + l.size() + ")");
            l.stream().sorted((a, b) -> Integer.compare(a.line(), b.line())).forEach(m -> out.println(
                    "    " + c + ":" + m.line() + " | " + m.mutator() + " | " + m.description() + "   [" + m.method() + "]"));
        });
    }

    /** Arguments: PIT's mutations.xml, the equivalents file, optionally the core's source root. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: MutationReport mutations.xml equivalent-mutants.txt [impl/src/main/java]");
            System.exit(2);
        }
        Path xml = Path.of(args[0]);
        if (!Files.isRegularFile(xml)) {
            System.err.println("no PIT report at " + xml);
            System.exit(1);
        }
        try {
            print(score(readMutations(xml), readEquivalents(Path.of(args[1]))),
                    sources(args.length == 3 ? Path.of(args[2]) : null), System.out);
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println(args[1] + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
