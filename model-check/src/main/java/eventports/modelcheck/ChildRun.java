package eventports.modelcheck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
