package eventports.cport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eventports.tracevalidation.api.ApiVerdict;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expected divergences of c-port, read from the table in its README.md ("## Expected
 * divergences": scenario, the step it fails at, why, what the API-level checker says), and the
 * check of a corpus run against them: every FAIL is listed, at the listed step; every listed
 * scenario still FAILs (no stale entry); no scenario is skipped for a capability c-port
 * declares. And the check of the run's API-level traces: a PASS's trace is accepted, and so is
 * a divergence's whose table row says "accepted"; a row that says "rejected at the return of
 * T" is rejected, first at a return record of thread T.
 */
final class Divergences {
    private Divergences() {
    }

    /** One row of the table. {@code trace}: "accepted", or "rejected at the return of T …". */
    record Divergence(String scenario, String failsAt, String why, String trace) {
        boolean traceRejected() {
            return trace.startsWith("rejected");
        }

        /** The thread whose return record the validator must reject first. */
        String rejectedReturnOf() {
            Matcher m = REJECTED_AT.matcher(trace);
            return m.matches() ? m.group(1) : null;
        }
    }

    private static final Pattern REJECTED_AT = Pattern.compile("^rejected at the return of (\\S+)( \\(.*\\))?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String HEADING = "## Expected divergences";
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]+) \\| ([^|]+) \\| ([^|]+) \\|$");
    private static final Pattern FAIL = Pattern.compile("^FAIL (\\S+) \\[[a-z]+\\]: (.*)$");
    private static final Pattern SKIP = Pattern.compile("^SKIP (\\S+) \\[[a-z]+\\]: needs ([a-z_]+).*$");
    private static final Pattern CAPS = Pattern.compile("^implementation .*, capabilities (.*)$");

    /** The table, in README order; an IllegalArgumentException names what is malformed. */
    static Map<String, Divergence> fromReadme(String markdown) {
        int at = markdown.indexOf("\n" + HEADING + "\n");
        if (at < 0) {
            throw new IllegalArgumentException("README.md has no '" + HEADING + "' section");
        }
        Map<String, Divergence> out = new LinkedHashMap<>();
        String[] lines = markdown.substring(at + HEADING.length() + 2).split("\n");
        for (String line : lines) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher m = ROW.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("README.md: malformed divergence row: " + line);
            }
            Divergence d = new Divergence(m.group(1), m.group(2).strip(), m.group(3).strip(), m.group(4).strip());
            if (!d.failsAt().matches("step \\d+ \\([a-z_]+\\)")) {
                throw new IllegalArgumentException("README.md: " + d.scenario() + ": 'fails at' must read 'step N (op)', not "
                        + d.failsAt());
            }
            if (!d.trace().equals("accepted") && d.rejectedReturnOf() == null) {
                throw new IllegalArgumentException("README.md: " + d.scenario()
                        + ": the trace column must read 'accepted' or 'rejected at the return of THREAD (…)'");
            }
            if (out.put(d.scenario(), d) != null) {
                throw new IllegalArgumentException("README.md: " + d.scenario() + " is listed twice");
            }
        }
        return out;
    }

    /** The capabilities the runner's first line says the implementation declared. */
    static Set<String> declared(List<String> runnerLines) {
        for (String l : runnerLines) {
            Matcher m = CAPS.matcher(l);
            if (m.matches()) {
                return Set.of(m.group(1).split(", "));
            }
        }
        throw new IllegalArgumentException("no 'implementation …' line in the runner's output");
    }

    /** What is wrong with a run (the runner's output lines) given the table; empty: nothing. */
    static List<String> problems(List<String> runnerLines, Map<String, Divergence> expected) {
        List<String> problems = new ArrayList<>();
        Set<String> declared = declared(runnerLines);
        Set<String> failed = new java.util.HashSet<>();
        for (String l : runnerLines) {
            Matcher f = FAIL.matcher(l);
            Matcher s = SKIP.matcher(l);
            if (l.startsWith("ERROR")) {
                problems.add(l);
            } else if (f.matches()) {
                String name = f.group(1);
                failed.add(name);
                Divergence d = expected.get(name);
                if (d == null) {
                    problems.add("not a listed divergence: " + l);
                } else if (!f.group(2).startsWith(d.failsAt() + ":")) {
                    problems.add("listed as failing at " + d.failsAt() + ", but: " + l);
                }
            } else if (s.matches() && declared.contains(s.group(2))) {
                problems.add("skipped for a capability c-port declares: " + l);
            }
        }
        for (String name : expected.keySet()) {
            if (!failed.contains(name)) {
                problems.add("stale divergence (the scenario did not fail): " + name);
            }
        }
        return problems;
    }

    /**
     * What is wrong with the validator's verdicts on the run's API traces (scenario name →
     * verdict, one per run made) given the table; empty: nothing.
     */
    static List<String> traceProblems(Map<String, ApiVerdict> verdicts, Map<String, Divergence> expected) {
        List<String> problems = new ArrayList<>();
        verdicts.forEach((name, v) -> {
            Divergence d = expected.get(name);
            if (d == null || !d.traceRejected()) {
                if (!v.accepted()) {
                    problems.add(name + ": trace rejected, but the table " + (d == null ? "does not list it" : "says accepted")
                            + ": " + v.report());
                }
                return;
            }
            if (v.accepted()) {
                problems.add(name + ": trace accepted, but the table says " + d.trace());
                return;
            }
            JsonNode rec;
            try {
                rec = JSON.readTree(v.rejectedRecord());
            } catch (IOException | RuntimeException e) {
                rec = null;
            }
            if (rec == null || !"return".equals(rec.path("kind").asText())
                    || !d.rejectedReturnOf().equals(rec.path("thread").asText())) {
                problems.add(name + ": rejected at " + v.rejectedRecord() + ", but the table says " + d.trace());
            }
        });
        for (String name : expected.keySet()) {
            if (!verdicts.containsKey(name)) {
                problems.add(name + ": no API trace of the run");
            }
        }
        return problems;
    }
}
