package eventports.modelcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One TLC run: which model (cfg), which profile and fixes, which properties.
 * The cfg written for the run is the model's cfg with Profile/Fixes replaced,
 * the INVARIANTS/PROPERTIES sections optionally narrowed to {@link #only},
 * and {@link #overrides} (e.g. a mutant's {@code W2 <- MutW2}) appended.
 */
public final class RunRequest {
    /** What current illumos applies on top of the seed (PORT_GET's ETIME, port.c@57fb83de). */
    public static final Set<String> ILLUMOS_FIXES = Set.of("GetEtime");

    public String model = "small";
    public String profile = "corrected";
    /** Fixes for the illumos profile; null means {@link #ILLUMOS_FIXES}. */
    public Set<String> fixes;
    public int workers = 2;
    /** Invariants/properties to check; empty means all those of the cfg. */
    public List<String> only = new ArrayList<>();
    /** Root module; mutants EXTEND MCEventPort under their own name. */
    public String module = "MCEventPort";
    /** Drop the PROPERTIES (distributed TLC checks invariants only). */
    public boolean invariantsOnly;
    /** Files copied beside the spec (e.g. a mutant module). */
    public List<String> extraFiles = new ArrayList<>();
    /** Extra cfg lines placed in the CONSTANTS section. */
    public List<String> overrides = new ArrayList<>();
    /** Wall-clock limit (seconds, 0 = none); a run stopped by it reports TIMEOUT. */
    public long timeoutSeconds;
    /** The descriptor layer: "descriptors" (FdLayer = TRUE), "portfs" (FALSE), null = the model's cfg. */
    public String layer;
    /**
     * Check EventPort's Spec (every action a step, as trace validation sees them) instead of
     * the cfgs' FoldedSpec (one step per critical section of portq_mutex).
     */
    public boolean unfolded;
    /** TLC's -dump FILE (every distinct state, as text); null for none. */
    public String dump;
    /**
     * TLC's simulation mode: {@link #traces} random behaviours of at most {@link #depth}
     * steps from {@link #seed}, on Spec (so that coverage names EventPort's actions).
     */
    public boolean simulate;
    public int depth = 100;
    public long seed = 1;
    public int traces = 1000;

    public Set<String> effectiveFixes() {
        if ("corrected".equals(profile)) return new TreeSet<>();
        return new TreeSet<>(fixes == null ? ILLUMOS_FIXES : fixes);
    }

    public RunRequest copy() {
        RunRequest r = new RunRequest();
        r.model = model; r.profile = profile;
        r.fixes = fixes == null ? null : new TreeSet<>(fixes);
        r.workers = workers; r.only = new ArrayList<>(only); r.module = module;
        r.overrides = new ArrayList<>(overrides); r.timeoutSeconds = timeoutSeconds;
        r.extraFiles = new ArrayList<>(extraFiles); r.invariantsOnly = invariantsOnly;
        r.layer = layer; r.unfolded = unfolded; r.dump = dump;
        r.simulate = simulate; r.depth = depth; r.seed = seed; r.traces = traces;
        return r;
    }

    /** Command-line form understood by {@link ModelCheckMain}. */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of("--model", model, "--profile", profile,
                "--workers", Integer.toString(workers), "--module", module));
        if (fixes != null) { a.add("--fixes"); a.add(String.join(",", fixes)); }
        for (String o : only) { a.add("--only"); a.add(o); }
        for (String o : overrides) { a.add("--override"); a.add(o); }
        for (String f : extraFiles) { a.add("--extra"); a.add(f); }
        if (invariantsOnly) a.add("--invariants-only");
        if (layer != null) { a.add("--layer"); a.add(layer); }
        if (unfolded) a.add("--unfolded");
        if (dump != null) { a.add("--dump"); a.add(dump); }
        if (simulate) {
            a.addAll(List.of("--simulate", "--depth", Integer.toString(depth), "--seed", Long.toString(seed),
                    "--traces", Integer.toString(traces)));
        }
        if (timeoutSeconds > 0) { a.add("--timeout"); a.add(Long.toString(timeoutSeconds)); }
        return a;
    }

    @Override public String toString() { return String.join(" ", toArgs()); }
}
