package eventports.modelcheck;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The models (cfg files) and the spec files they need, and writing a run's cfg. The models
 * themselves are {@link CfgWriter#MODELS}; their cfg files are written from there.
 */
public final class Models {
    private Models() {}

    /** Model name -> cfg file (beside MCEventPort.tla). */
    public static final Map<String, String> CFG = new LinkedHashMap<>();
    static {
        for (CfgWriter.Model m : CfgWriter.MODELS) CFG.put(m.name(), m.file());
    }

    static final List<String> SPEC_FILES = List.of("EventPort.tla", "FoldedEventPort.tla", "MCEventPort.tla");
    static final String RESOURCE_DIR = "/eventports/modelcheck/tla/";

    /**
     * Every fix flag of EventPort.tla (AllFixes): the fixes of the findings, each of which
     * names its flag ({@link Findings}). FixCatalogueTest keeps this, the spec's AllFixes
     * and eventports.kernel.Fix the same.
     */
    public static final Set<String> ALL_FIXES = new TreeSet<>(
            Findings.ALL.stream().map(Findings.Finding::fix).toList());

    public static String cfgFile(String model) {
        String f = CFG.get(model);
        if (f == null) throw new IllegalArgumentException("unknown model " + model + "; known: " + CFG.keySet());
        return f;
    }

    /**
     * Puts the spec, MC module and cfgs into dir: from the directory named by
     * the system property eventports.tla.dir if set, else from the jar.
     */
    public static void install(Path dir) throws IOException {
        Files.createDirectories(dir);
        String src = System.getProperty("eventports.tla.dir");
        for (String f : concat(SPEC_FILES, List.copyOf(CFG.values()))) {
            Path target = dir.resolve(f);
            if (src != null) {
                Path p = Path.of(src).resolve(f);
                if (!Files.exists(p)) p = Path.of(src).resolve("../spec").resolve(f);
                if (Files.exists(p)) Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                continue;
            }
            try (InputStream in = Models.class.getResourceAsStream(RESOURCE_DIR + f)) {
                if (in == null) continue;   // e.g. a model not shipped
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static final Pattern SECTION = Pattern.compile(
            "^(INVARIANTS?|PROPERT(Y|IES))\\s*$");

    /** The invariants and temporal properties model {@code model}'s cfg checks (what --only may name). */
    public static List<String> checked(String model) throws IOException {
        return checked(cfgText(model), new RunRequest());
    }

    /** Whether {@code req}'s run checks a temporal property (its cfg has a PROPERTY line). */
    public static boolean checksProperties(RunRequest req) throws IOException {
        return deriveCfg(cfgText(req.model), req).lines().anyMatch(l -> l.startsWith("PROPERTY "));
    }

    private static String cfgText(String model) throws IOException {
        String f = cfgFile(model);
        String src = System.getProperty("eventports.tla.dir");
        if (src != null && Files.exists(Path.of(src).resolve(f))) {
            return Files.readString(Path.of(src).resolve(f));
        }
        try (InputStream in = Models.class.getResourceAsStream(RESOURCE_DIR + f)) {
            if (in == null) throw new IOException("model " + model + ": " + f + " is not in the build");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static List<String> checked(String cfg, RunRequest all) {
        List<String> names = new java.util.ArrayList<>();
        String section = "";
        for (String line : cfg.split("\n", -1)) {
            String t = line.trim();
            if (SECTION.matcher(t).matches()) { section = t; continue; }
            if (t.matches("^[A-Z_]+(\\s.*)?$") && !t.startsWith("\\*")) section = "";
            if (!section.isEmpty() && !t.isEmpty() && !t.startsWith("\\*")) names.add(t);
        }
        return names;
    }

    /** The cfg text for a request, derived from the model's cfg text. */
    public static String deriveCfg(String cfg, RunRequest req) {
        List<String> known = checked(cfg, req);
        for (String o : req.only) {
            if (!known.contains(o)) {
                throw new IllegalArgumentException("--only " + o + ": not an invariant or property of this model; it checks "
                        + known);
            }
        }
        Set<String> fixes = req.effectiveFixes();
        String fixSet = fixes.isEmpty() ? "{}"
                : "{" + String.join(", ", fixes.stream().map(f -> "\"" + f + "\"").toList()) + "}";
        StringBuilder out = new StringBuilder();
        String section = "";
        boolean dropSectionHeader = false;
        for (String line : cfg.split("\n", -1)) {
            String t = line.trim();
            Matcher m = SECTION.matcher(t);
            if (m.matches()) { section = t.startsWith("INV") ? "INVARIANT" : "PROPERTY"; continue; }
            if (t.matches("^[A-Z_]+(\\s.*)?$") && !t.startsWith("\\*")) section = "";
            if (t.equals("SPECIFICATION FoldedSpec") && (req.unfolded || req.simulate)) line = "SPECIFICATION Spec";
            else if (t.startsWith("Profile =")) line = "    Profile = \"" + req.profile + "\"";
            else if (t.startsWith("Fixes =")) line = "    Fixes = " + fixSet;
            else if (t.startsWith("FdLayer =") && req.layer != null)
                line = "    FdLayer = " + (req.layer.equals("descriptors") ? "TRUE" : "FALSE");
            if (!section.isEmpty() && !t.isEmpty() && !t.startsWith("\\*")) {
                boolean wanted = req.only.isEmpty() || req.only.contains(t);
                if (req.invariantsOnly && section.equals("PROPERTY")) wanted = false;
                if (wanted) out.append(section).append(' ').append(t).append('\n');
                continue;
            }
            out.append(line).append('\n');
            if (t.equals("CONSTANTS") || t.equals("CONSTANT")) {
                for (String o : req.overrides) out.append("    ").append(o).append('\n');
            }
        }
        return out.toString();
    }
}
