package eventports.modelcheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * Runs one model check in this JVM and exits with TLC's exit code:
 * {@code --model NAME --profile P --workers N [--fixes A,B] [--only NAME]...
 * [--override "X <- Y"]... [--module M --extra FILE.tla] [--workdir DIR] [--timeout S]
 * [--layer descriptors|portfs] [--unfolded] [--dump FILE] [--simulate --depth D --seed S --traces N]}.
 * Prints progress lines, the readable counterexample, then one RESULT line.
 */
public final class ModelCheckMain {
    private ModelCheckMain() {}

    public static RunRequest parse(String[] args) {
        RunRequest r = new RunRequest();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--model": r.model = v; i++; break;
                case "--profile": r.profile = v; i++; break;
                case "--workers": r.workers = Integer.parseInt(v); i++; break;
                case "--fixes": r.fixes = new TreeSet<>(v.isEmpty() ? java.util.List.of() : Arrays.asList(v.split(","))); i++; break;
                case "--only": r.only.add(v); i++; break;
                case "--override": r.overrides.add(v); i++; break;
                case "--module": r.module = v; i++; break;
                case "--extra": r.extraFiles.add(v); i++; break;
                case "--invariants-only": r.invariantsOnly = true; break;
                case "--timeout": r.timeoutSeconds = Long.parseLong(v); i++; break;
                case "--layer": r.layer = v; i++; break;
                case "--unfolded": r.unfolded = true; break;
                case "--dump": r.dump = v; i++; break;
                case "--simulate": r.simulate = true; break;
                case "--depth": r.depth = Integer.parseInt(v); i++; break;
                case "--seed": r.seed = Long.parseLong(v); i++; break;
                case "--traces": r.traces = Integer.parseInt(v); i++; break;
                case "--workdir": i++; break;
                default: throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (!r.profile.equals("illumos") && !r.profile.equals("corrected"))
            throw new IllegalArgumentException("--profile must be illumos or corrected");
        if (r.layer != null && !r.layer.equals("descriptors") && !r.layer.equals("portfs"))
            throw new IllegalArgumentException("--layer must be descriptors or portfs");
        if (r.fixes != null && !Models.ALL_FIXES.containsAll(r.fixes))
            throw new IllegalArgumentException("unknown fix in " + r.fixes + "; known: " + Models.ALL_FIXES);
        return r;
    }

    /** Runs and prints; returns TLC's exit code (or 1 on a setup error). */
    public static int runAndPrint(RunRequest req, Path workDir, java.io.PrintStream out) throws Exception {
        if (workDir == null) workDir = Files.createTempDirectory("eventports-tlc");
        out.println("modelcheck: " + req + "  (work dir " + workDir + ")");
        RunResult res = ModelChecker.run(req, workDir, out::println);
        if (!res.trace.isEmpty()) {
            out.println("counterexample (" + res.verdictText() + "):");
            res.trace.forEach(l -> out.println("  " + l));
        }
        if (req.simulate) {
            out.println("coverage (action: steps taken in " + req.traces + " behaviours of depth <= " + req.depth
                    + ", seed " + req.seed + "):");
            res.coverage.forEach((a, n) -> out.printf("  %-26s %d%n", a, n));
        }
        out.println(res.resultLine());
        out.flush();
        return res.exitCode < 0 ? 1 : res.exitCode;
    }

    public static void main(String[] args) throws Exception {
        Path workDir = null;
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals("--workdir")) workDir = Path.of(args[i + 1]);
        int code = 1;
        try {
            code = runAndPrint(parse(args), workDir, System.out);
        } catch (Throwable t) {
            t.printStackTrace();
        } finally {
            System.exit(code);   // TLC leaves a non-daemon RMI thread behind
        }
    }
}
