package eventports.modelcheck;

import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers: run TLC in a child JVM on the working tree's spec files. */
final class Tlc {
    private Tlc() {}

    /** model-check/ (surefire runs with the module as working directory). */
    static final Path MODULE_DIR = Path.of("").toAbsolutePath();

    static {
        // Children read spec/ and model-check/ directly, not the jar's copy.
        System.setProperty("eventports.tla.dir", MODULE_DIR.toString());
        if (!Files.exists(MODULE_DIR.resolve("MCEventPort.tla")))
            throw new IllegalStateException("run the tests from model-check/ (found no MCEventPort.tla in " + MODULE_DIR + ")");
    }

    static ChildRun.Outcome run(RunRequest req) throws Exception {
        ChildRun.Outcome o = ChildRun.run(req, null);
        System.out.println("  " + req + "\n  -> " + o.result.resultLine());
        return o;
    }

    /**
     * Finding f's run: its model, illumos with every fix but f's, checking only f's property (the
     * shortest trace to it, quickly).
     */
    static RunRequest withoutFix(Findings.Finding f) {
        RunRequest r = request(f.model(), "illumos");
        r.fixes = new java.util.TreeSet<>(Models.ALL_FIXES);
        r.fixes.remove(f.fix());
        r.only.add(f.property());
        return r;
    }

    static RunRequest request(String model, String profile) {
        RunRequest r = new RunRequest();
        r.model = model;
        r.profile = profile;
        r.workers = 2;
        r.timeoutSeconds = 300;
        return r;
    }
}
