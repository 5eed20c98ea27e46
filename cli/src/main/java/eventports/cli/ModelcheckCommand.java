package eventports.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import eventports.modelcheck.Distributed;
import eventports.modelcheck.Findings;
import eventports.modelcheck.ModelCheckMain;
import eventports.modelcheck.Models;
import eventports.modelcheck.RunRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/**
 * {@code eventports modelcheck}: model-check spec/EventPort.tla with TLC
 * (in this JVM), or serve a model to TLC workers / be one (distributed mode).
 * Exit code: TLC's (0 ok, 12 invariant, 13 temporal property, ...).
 */
@Command(name = "modelcheck", mixinStandardHelpOptions = true,
        description = "Model-check the event port protocol (spec/EventPort.tla) with TLC.")
public class ModelcheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "small", completionCandidates = ModelNames.class,
            description = "Model: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String model;

    /** The models' names, as model-check's CfgWriter lists them (the help never falls behind). */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return eventports.modelcheck.CfgWriter.MODELS.stream().map(eventports.modelcheck.CfgWriter.Model::name).iterator();
        }
    }

    @Option(names = "--profile", defaultValue = "corrected",
            description = "illumos (as coded, with current illumos's PORT_GET ETIME) or corrected (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--workers", defaultValue = "2", description = "TLC worker threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--fixes", split = ",",
            description = "Fixes applied in the illumos profile (comma list; empty = the seed as written).")
    List<String> fixes;

    @Option(names = "--only", description = "Check only these invariants/properties (repeatable).")
    List<String> only = new ArrayList<>();

    @Option(names = "--layer", description = "descriptors (FdLayer TRUE) or portfs (FALSE); default: the model's cfg"
            + " (the layer model has the descriptor layer on, the others are models of portfs on its own).")
    String layer;

    @Option(names = "--unfolded", description = "Check EventPort's Spec, one step per action (as trace validation"
            + " sees them), instead of FoldedSpec, one step per critical section (spec/FoldedEventPort.tla).")
    boolean unfolded;

    @Option(names = "--simulate", description = "TLC's simulation mode on Spec: random behaviours instead of an"
            + " exhaustive search; reports the states visited and each action's coverage (steps taken).")
    boolean simulate;

    @Option(names = "--depth", defaultValue = "100", description = "--simulate: steps per behaviour (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--seed", defaultValue = "1", description = "--simulate: random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--traces", defaultValue = "1000", description = "--simulate: behaviours (default: ${DEFAULT-VALUE}).")
    int traces;

    @Option(names = "--timeout", defaultValue = "0", description = "Stop after this many seconds (0: no limit).")
    long timeout;

    @Option(names = "--list", description = "List models, fixes and findings, then exit.")
    boolean list;

    @Option(names = "--serve", description = "Run a TLCServer for the model (invariants only); workers connect with --worker.")
    boolean serve;

    @Option(names = "--worker", paramLabel = "HOST", description = "Run a TLCWorker for the TLCServer at HOST.")
    String worker;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address the server announces over RMI (default: ${DEFAULT-VALUE}).")
    String host;

    @Override
    public Integer call() throws Exception {
        if (list) {
            System.out.println("models: " + Models.CFG.keySet());
            System.out.println("fixes:  " + Models.ALL_FIXES);
            for (Findings.Finding f : Findings.ALL)
                System.out.printf("%-4s %-14s %-7s %-18s %s%n", f.id(), f.fix(), f.model(), f.property(), f.title());
            return 0;
        }
        Args.require(spec, Models.CFG.containsKey(model), "--model: unknown model '" + model + "'; known: "
                + Models.CFG.keySet());
        Args.require(spec, profile.equals("illumos") || profile.equals("corrected"),
                "--profile: expected illumos or corrected, got '" + profile + "'");
        Args.require(spec, fixes == null || Models.ALL_FIXES.containsAll(fixes), "--fixes: unknown fix in " + fixes
                + "; known: " + Models.ALL_FIXES);
        Args.require(spec, workers >= 1, "--workers must be at least 1, got " + workers);
        Args.require(spec, depth >= 1 && traces >= 1, "--depth and --traces must be at least 1, got " + depth
                + " and " + traces);
        Args.require(spec, timeout >= 0, "--timeout must be 0 (no limit) or more seconds, got " + timeout);
        if (!only.isEmpty()) {
            List<String> checked = Models.checked(model);
            for (String o : only) {
                Args.require(spec, checked.contains(o), "--only: " + o + " is not an invariant or property of model "
                        + model + "; it checks " + checked);
            }
        }
        if (worker != null) {
            try {
                java.net.InetAddress.getByName(worker);
            } catch (java.net.UnknownHostException e) {
                Args.require(spec, false, "--worker: unknown host '" + worker + "'");
            }
            Path tmp = Files.createTempDirectory("eventports-worker-");
            try {
                return workerExit(new ProcessBuilder(Distributed.workerCommand(worker, tmp)).redirectErrorStream(true)
                        .start());
            } finally {
                eventports.modelcheck.ChildRun.deleteTree(tmp);
            }
        }
        RunRequest req = new RunRequest();
        req.model = model;
        req.profile = profile;
        req.workers = workers;
        req.fixes = fixes == null ? null : new TreeSet<>(fixes);
        req.only = only;
        req.timeoutSeconds = timeout;
        req.unfolded = unfolded;
        req.simulate = simulate;
        req.depth = depth;
        req.seed = seed;
        req.traces = traces;
        if (layer != null && !layer.equals("descriptors") && !layer.equals("portfs")) {
            System.err.println("modelcheck: --layer must be descriptors or portfs, not \"" + layer + "\"");
            return 2;
        }
        req.layer = layer;
        Models.cfgFile(model);   // fails early on an unknown model
        if (serve) {
            Path work = Files.createTempDirectory("eventports-serve-");
            Files.createDirectories(work.resolve("tmp"));
            Distributed.prepare(req, work);
            System.out.println("serving model " + model + " (" + profile + ") on " + host
                    + "; start workers with: eventports modelcheck --worker " + host);
            return new ProcessBuilder(Distributed.serverCommand(req, work, host)).directory(work.toFile())
                    .inheritIO().start().waitFor();
        }
        Path work = Files.createTempDirectory("eventports-tlc");
        try {
            return ModelCheckMain.runAndPrint(req, work, System.out);
        } finally {
            eventports.modelcheck.ChildRun.deleteTree(work);
        }
    }

    /**
     * Echoes a TLC worker's output and gives its exit status; TLCWorker exits 0 even when it
     * could not reach the server, so that message makes the status 1.
     */
    private static int workerExit(Process p) throws java.io.IOException, InterruptedException {
        boolean failed = false;
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.out.println(line);
                failed |= line.contains("Failed to start worker") || line.contains("Connection refused");
            }
        }
        int rc = p.waitFor();
        return rc != 0 ? rc : failed ? 1 : 0;
    }
}
