package eventports.conformance;

import eventports.kernel.Profile;
import eventports.trace.TraceSink;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Replays conformance scenarios (shared/conformance/FORMAT.md) on the deterministic runtime
 * and prints {@code PASS name [profile]} or {@code FAIL name [profile]: step K: …} per run, then
 * {@code N passed, M failed}. A scenario that names several profiles runs once per profile.
 * A file that cannot be parsed is a FAIL with the reason; nothing a file says can crash or
 * hang the runner (each step has a watchdog).
 */
public final class ConformanceRunner {
    /** Totals of one invocation. */
    public record Summary(int passed, int failed, List<ScenarioRun.Verdict> verdicts) {
        public boolean ok() {
            return failed == 0;
        }
    }

    private final Profile only;
    private final PrintStream out;
    private final Function<String, TraceSink> sinks;

    /**
     * @param only  run only this profile's variants (null: all)
     * @param sinks a trace sink per run id ("name[profile]"), or null for no tracing
     */
    public ConformanceRunner(Profile only, PrintStream out, Function<String, TraceSink> sinks) {
        this.only = only;
        this.out = out;
        this.sinks = sinks;
    }

    /** Every {@code .json} file under the given files and directories, sorted. */
    public static List<Path> collect(List<Path> roots) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path r : roots) {
            if (Files.isDirectory(r)) {
                try (Stream<Path> s = Files.walk(r)) {
                    files.addAll(s.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList()));
                }
            } else {
                files.add(r);
            }
        }
        return files;
    }

    public Summary run(List<Path> files) {
        int passed = 0;
        int failed = 0;
        List<ScenarioRun.Verdict> verdicts = new ArrayList<>();
        for (Path f : files) {
            List<ScenarioRun.Verdict> vs = runFile(f);
            for (ScenarioRun.Verdict v : vs) {
                verdicts.add(v);
                if (v.passed()) {
                    passed++;
                    out.println("PASS " + v.name() + " [" + (v.profile() == null ? "-" : v.profile().id()) + "]");
                } else {
                    failed++;
                    out.println("FAIL " + v.name() + (v.profile() == null ? "" : " [" + v.profile().id() + "]")
                            + ": " + v.failure());
                }
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return new Summary(passed, failed, verdicts);
    }

    List<ScenarioRun.Verdict> runFile(Path f) {
        Scenario sc;
        try {
            sc = Scenario.parse(f);
        } catch (ScenarioException e) {
            String name = f.getFileName().toString().replaceFirst("\\.json$", "");
            return List.of(new ScenarioRun.Verdict(name, null, e.getMessage()));
        }
        List<ScenarioRun.Verdict> vs = new ArrayList<>();
        for (Profile p : sc.profiles()) {
            if (only != null && p != only) {
                continue;
            }
            TraceSink sink = sinks == null ? null : sinks.apply(sc.name() + "[" + p.id() + "]");
            vs.add(new ScenarioRun(sc, p, sink).run());
        }
        return vs;
    }
}
