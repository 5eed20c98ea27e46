package eventports.modelcheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.function.Consumer;

import tlc2.TLC;
import tlc2.TLCGlobals;
import tlc2.output.EC;
import tlc2.output.MP;
import tlc2.output.MPRecorder;
import tlc2.tool.TLCStateInfo;
import util.SimpleFilenameToStream;
import util.ToolIO;

/**
 * Runs TLC in this JVM and reads its results through MP's recorder.
 *
 * TLC keeps global static state: one run per JVM, ever (a second run in the
 * same JVM is not reliable). Use {@link ChildRun} to run several.
 */
public final class ModelChecker {
    private ModelChecker() {}

    /**
     * Checks req in workDir (spec files are installed there). Progress lines
     * ("progress: ...") go to the consumer.
     */
    public static RunResult run(RunRequest req, Path workDir, Consumer<String> progress) throws IOException {
        Models.install(workDir);
        for (String f : req.extraFiles) {
            Path src = Path.of(f);
            Files.copy(src, workDir.resolve(src.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String cfgName = "_run_" + req.model + ".cfg";
        String base = Files.readString(workDir.resolve(Models.cfgFile(req.model)));
        Files.writeString(workDir.resolve(cfgName), Models.deriveCfg(base, req));

        RunResult res = new RunResult();
        res.model = req.model;
        res.profile = req.profile;
        res.fixes = String.join(",", req.effectiveFixes());
        List<TLCStateInfo> states = new ArrayList<>();

        MP.setRecorder(new MPRecorder() {
            @Override public void record(int code, Object... objects) {
                switch (code) {
                    case EC.TLC_STATS:
                        res.states = num(objects, 0);
                        res.distinct = num(objects, 1);
                        break;
                    case EC.TLC_SEARCH_DEPTH:
                        res.depth = num(objects, 0);
                        break;
                    case EC.TLC_PROGRESS_STATS:
                        progress.accept(String.format("progress: depth %s, %s states, %s distinct, %s left",
                                str(objects, 0), str(objects, 1), str(objects, 2), str(objects, 3)));
                        break;
                    case EC.TLC_INVARIANT_VIOLATED_BEHAVIOR:
                    case EC.TLC_INVARIANT_VIOLATED_INITIAL:
                        res.verdict = RunResult.Verdict.INVARIANT;
                        res.violated = str(objects, 0);
                        break;
                    case EC.TLC_TEMPORAL_PROPERTY_VIOLATED:
                        res.verdict = RunResult.Verdict.PROPERTY;
                        break;
                    case EC.TLC_DEADLOCK_REACHED:
                        res.verdict = RunResult.Verdict.DEADLOCK;
                        break;
                    case EC.TLC_STATE_PRINT1:
                    case EC.TLC_STATE_PRINT2:
                    case EC.TLC_STATE_PRINT3:
                        for (Object o : objects) if (o instanceof TLCStateInfo) states.add((TLCStateInfo) o);
                        break;
                    default:
                        break;
                }
            }
        });

        List<String> args = new ArrayList<>(List.of("-config", workDir.resolve(cfgName).toString(), "-workers", Integer.toString(req.workers),
                "-metadir", workDir.resolve("states").toString(), "-nowarning"));
        if (req.dump != null) { args.add("-dump"); args.add(req.dump); }
        if (req.simulate) {
            args.addAll(List.of("-simulate", "num=" + req.traces, "-depth", Integer.toString(req.depth),
                    "-seed", Long.toString(req.seed), "-coverage", "1"));
        }
        args.add(workDir.resolve(req.module).toString());
        // TLC's own output stays, except its raw state dumps: the readable
        // counterexample is printed from the recorder instead.
        java.io.PrintStream tlcOut = ToolIO.out;
        ToolIO.out = new java.io.PrintStream(new LineFilter(tlcOut, line -> coverage(line, res)), true);
        TLC tlc = new TLC();
        String oldDir = System.getProperty("user.dir");
        ToolIO.setUserDir(workDir.toString());
        long t0 = System.nanoTime();
        Timer watchdog = null;
        boolean[] timedOut = {false};
        if (req.timeoutSeconds > 0) {
            watchdog = new Timer("tlc-watchdog", true);
            watchdog.schedule(new TimerTask() {
                @Override public void run() {
                    timedOut[0] = true;
                    if (TLCGlobals.mainChecker != null) TLCGlobals.mainChecker.stop();
                }
            }, req.timeoutSeconds * 1000);
        }
        try {
            if (!tlc.handleParameters(args.toArray(new String[0]))) {
                res.message = "TLC rejected its parameters";
                return res;
            }
            tlc.setResolver(new SimpleFilenameToStream(workDir.toString()));
            int ec = tlc.process();
            res.exitCode = EC.ExitStatus.errorConstantToExitStatus(ec);
        } finally {
            if (watchdog != null) watchdog.cancel();
            ToolIO.out.flush();
            ToolIO.out = tlcOut;
            ToolIO.setUserDir(oldDir);
        }
        res.seconds = (System.nanoTime() - t0) / 1e9;
        if (timedOut[0]) res.verdict = RunResult.Verdict.TIMEOUT;
        else if (res.exitCode == 0) res.verdict = RunResult.Verdict.OK;
        else if (res.exitCode == 12 && res.verdict != RunResult.Verdict.INVARIANT) res.verdict = RunResult.Verdict.INVARIANT;
        else if (res.exitCode == 13) res.verdict = RunResult.Verdict.PROPERTY;
        else if (res.exitCode == 11) res.verdict = RunResult.Verdict.DEADLOCK;
        else if (res.verdict == RunResult.Verdict.ERROR || res.exitCode > 13) res.verdict = RunResult.Verdict.ERROR;
        if (res.verdict == RunResult.Verdict.PROPERTY && req.only.size() == 1) res.violated = req.only.get(0);
        res.trace = TraceFormatter.format(states);
        return res;
    }

    /** Simulation's progress: the states visited so far. */
    private static final java.util.regex.Pattern SIMULATED =
            java.util.regex.Pattern.compile("^Progress: ([\\d,]+) states checked\\.$");

    /** TLC's coverage of an action: "<name line L, col C ... of module M (...)>: distinct:steps". */
    private static final java.util.regex.Pattern COVERAGE =
            java.util.regex.Pattern.compile("^<(\\w+) line \\d+.*>: \\d+:(\\d+)$");

    /**
     * Adds a coverage line's steps to its action (one line per disjunct of Next that names it);
     * TLC reports every minute and at the end, and each report starts the count afresh. Also
     * simulation's progress lines, which give the states visited.
     */
    static void coverage(String line, RunResult res) {
        if (line.startsWith("The coverage statistics")) { res.coverage.clear(); return; }
        java.util.regex.Matcher p = SIMULATED.matcher(line);
        if (p.matches()) { res.states = Long.parseLong(p.group(1).replace(",", "")); return; }
        java.util.regex.Matcher m = COVERAGE.matcher(line);
        if (m.matches() && !m.group(1).equals("Init")) res.coverage.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
    }

    /** Drops the lines of TLC's state dumps ("State n:", "/\\ x = ...", continuations). */
    static final class LineFilter extends java.io.OutputStream {
        private final java.io.PrintStream out;
        private final Consumer<String> tap;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        private boolean inState;

        LineFilter(java.io.PrintStream out, Consumer<String> tap) { this.out = out; this.tap = tap; }

        @Override public synchronized void write(int b) {
            if (b != '\n') { line.write(b); return; }
            String l = line.toString(java.nio.charset.StandardCharsets.UTF_8);
            line.reset();
            tap.accept(l);
            if (l.startsWith("State ") && l.contains(":")) { inState = true; return; }
            if (inState && (l.startsWith("/\\") || l.startsWith(" ") || l.isEmpty())) return;
            inState = false;
            out.println(l);
        }

        @Override public synchronized void flush() { out.flush(); }
    }

    private static String str(Object[] o, int i) { return i < o.length ? String.valueOf(o[i]) : "?"; }

    private static long num(Object[] o, int i) {
        try { return Long.parseLong(str(o, i).replace(",", "").trim()); } catch (NumberFormatException e) { return -1; }
    }
}
