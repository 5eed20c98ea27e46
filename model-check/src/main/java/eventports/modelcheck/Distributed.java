package eventports.modelcheck;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLC's distributed mode (TLCServer and TLCWorkers from the same jar), for
 * models that outgrow one machine. Distributed TLC checks invariants only
 * (no temporal properties), and ignores CHECK_DEADLOCK from the cfg, so the
 * server gets -deadlock (= do not report deadlocks).
 */
public final class Distributed {
    private Distributed() {}

    static final Pattern STATS = Pattern.compile("([\\d,]+) states generated, ([\\d,]+) distinct states found");

    /** The server's cfg (invariants only) in workDir; returns the module path. */
    public static Path prepare(RunRequest req, Path workDir) throws IOException {
        Models.install(workDir);
        String base = Files.readString(workDir.resolve(Models.cfgFile(req.model)));
        RunRequest r = req.copy();
        r.invariantsOnly = true;
        Files.writeString(workDir.resolve("_dist_" + req.model + ".cfg"), Models.deriveCfg(base, r));
        return workDir.resolve(req.module);
    }

    /** Command line of a TLCServer for req (run it in workDir). */
    public static List<String> serverCommand(RunRequest req, Path workDir, String host) {
        List<String> cmd = new ArrayList<>(ChildRun.javaCommand(workDir.resolve("tmp")));
        cmd.add(2, "-Djava.rmi.server.hostname=" + host);
        cmd.addAll(List.of("tlc2.tool.distributed.TLCServer", "-deadlock",
                "-config", workDir.resolve("_dist_" + req.model + ".cfg").toString(),
                workDir.resolve(req.module).toString()));
        return cmd;
    }

    /** Command line of a TLCWorker connecting to the server at host. */
    public static List<String> workerCommand(String host, Path tmp) {
        List<String> cmd = new ArrayList<>(ChildRun.javaCommand(tmp));
        cmd.add(2, "-Djava.rmi.server.hostname=" + host);
        cmd.addAll(List.of("tlc2.tool.distributed.TLCWorker", host));
        return cmd;
    }

    /**
     * Runs a server and `workers` workers on loopback; returns the server's
     * result (states, distinct, verdict). Output lines go to echo.
     */
    public static RunResult runLoopback(RunRequest req, int workers, long timeoutSeconds, Consumer<String> echo)
            throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("eventports-dist-");
        Files.createDirectories(work.resolve("tmp"));
        prepare(req, work);
        String host = "127.0.0.1";
        long t0 = System.nanoTime();
        Process server = new ProcessBuilder(serverCommand(req, work, host)).directory(work.toFile())
                .redirectErrorStream(true).start();
        List<Process> procs = new ArrayList<>();
        RunResult res = new RunResult();
        res.model = req.model; res.profile = req.profile; res.fixes = String.join(",", req.effectiveFixes());
        CountDownLatch ready = new CountDownLatch(1);
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) { lines.add(line); }
                    if (echo != null) echo.accept("server: " + line);
                    if (line.contains("is ready")) ready.countDown();
                }
            } catch (IOException ignored) {
                // the server went away; its exit code says how
            }
        }, "tlc-server-output");
        reader.start();
        try {
            if (!ready.await(timeoutSeconds, TimeUnit.SECONDS)) throw new IOException("TLCServer did not get ready");
            for (int i = 0; i < workers; i++) {
                Path tmp = Files.createDirectories(work.resolve("tmp-w" + i));
                procs.add(new ProcessBuilder(workerCommand(host, tmp)).directory(work.toFile())
                        .redirectErrorStream(true).redirectOutput(work.resolve("worker" + i + ".log").toFile()).start());
            }
            if (!server.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                res.verdict = RunResult.Verdict.TIMEOUT;
                return res;
            }
            reader.join(10_000);
            res.exitCode = server.exitValue();
        } finally {
            server.destroy();
            for (Process p : procs) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
        res.seconds = (System.nanoTime() - t0) / 1e9;
        boolean error = false;
        synchronized (lines) {
            for (String l : lines) {
                Matcher m = STATS.matcher(l);
                if (m.find()) {
                    res.states = Long.parseLong(m.group(1).replace(",", ""));
                    res.distinct = Long.parseLong(m.group(2).replace(",", ""));
                }
                Matcher inv = Pattern.compile("Invariant (\\w+) is violated").matcher(l);
                if (inv.find()) { res.violated = inv.group(1); }
                if (l.startsWith("Error:")) error = true;
            }
        }
        if (!res.violated.isEmpty()) res.verdict = RunResult.Verdict.INVARIANT;
        else res.verdict = error || res.distinct < 0 ? RunResult.Verdict.ERROR : RunResult.Verdict.OK;
        return res;
    }
}
