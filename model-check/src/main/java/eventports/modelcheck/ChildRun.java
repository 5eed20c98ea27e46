package eventports.modelcheck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs {@link ModelCheckMain} in a child JVM (same classpath), because TLC's
 * state is static: one run per JVM. Each child gets its own work directory
 * and java.io.tmpdir (TLC copies its standard modules there).
 */
public final class ChildRun {
    private ChildRun() {}

    public static final class Outcome {
        public final RunResult result;
        public final List<String> output;
        Outcome(RunResult r, List<String> o) { result = r; output = o; }
        public String text() { return String.join("\n", output); }
    }

    public static Outcome run(RunRequest req, Consumer<String> echo) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("eventports-tlc-" + req.model + "-");
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        List<String> cmd = new ArrayList<>(javaCommand(tmp));
        if (c1Only(req)) cmd.add(1, "-XX:TieredStopAtLevel=1");
        cmd.add(ModelCheckMain.class.getName());
        cmd.addAll(req.toArgs());
        cmd.add("--workdir");
        cmd.add(work.toString());
        List<String> lines = new ArrayList<>();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (echo != null) echo.accept(line);
            }
        }
        p.waitFor();
        deleteTree(work);
        RunResult res = null;
        for (String l : lines) if (l.startsWith("RESULT ")) res = RunResult.parse(l);
        if (res == null) {
            res = new RunResult();
            res.message = "child printed no RESULT line (exit " + p.exitValue() + ")";
        }
        List<String> trace = new ArrayList<>();
        boolean inTrace = false;
        for (String l : lines) {
            if (l.startsWith("counterexample")) { inTrace = true; continue; }
            if (l.startsWith("RESULT ")) inTrace = false;
            if (inTrace && l.startsWith("  ")) trace.add(l.substring(2));
        }
        res.trace = trace;
        return new Outcome(res, lines);
    }

    /** -Deventports.tlc.jit=c1|c2|auto: which JIT a run's child keeps (auto: {@link #c1Only}'s rule). */
    static final String JIT = System.getProperty("eventports.tlc.jit", "auto");

    /** The models whose searches take minutes or hours (their cfgs say so): C2's code pays there. */
    static final Set<String> LONG_MODELS = Set.of("default", "large", "ranks");

    /**
     * Whether a run's child keeps to C1: a search of seconds that checks no temporal property,
     * where C2's compilations cost more than they return. Measured on this module's tests (2
     * cores): such runs took 194 s of TLC time with C2 and 160 s with C1, and the module's JVMs
     * 650 s of CPU with C2 everywhere, 511 s with this rule (C2's compiler threads took the
     * other core); runs that check temporal properties spend seconds in the liveness
     * checker's loops, which C2 speeds up (small, every property: 21 s with C2, 31 s with C1),
     * so they keep it.
     */
    static boolean c1Only(RunRequest req) {
        return c1Only(req, JIT);
    }

    static boolean c1Only(RunRequest req, String jit) {
        switch (jit.toLowerCase(java.util.Locale.ROOT)) {
            case "c1": return true;
            case "c2": return false;
            case "auto":
                if (LONG_MODELS.contains(req.model)) return false;
                try {
                    return !Models.checksProperties(req);
                } catch (IOException | IllegalArgumentException e) {
                    return false;   // the child will report the bad model or cfg itself
                }
            default:
                throw new IllegalArgumentException("-Deventports.tlc.jit=" + jit + ": must be c1, c2 or auto");
        }
    }

    /** java ({@link Jdk}), the current classpath, the settings every child gets. */
    static List<String> javaCommand(Path tmp) {
        List<String> cmd = new ArrayList<>(List.of(Jdk.java(), "-XX:+UseParallelGC", "-Xmx3g",
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path")));
        String tlaDir = System.getProperty("eventports.tla.dir");
        if (tlaDir != null) cmd.add(4, "-Deventports.tla.dir=" + tlaDir);
        return cmd;
    }

    /** The child's scratch directory goes when it ends (-Deventports.keepWork=true keeps it). */
    public static void deleteTree(Path dir) {
        if (Boolean.getBoolean("eventports.keepWork")) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
