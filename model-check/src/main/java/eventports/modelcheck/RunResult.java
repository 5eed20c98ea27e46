package eventports.modelcheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a TLC run found; one machine-readable line via {@link #resultLine()}. */
public final class RunResult {
    public enum Verdict { OK, INVARIANT, PROPERTY, DEADLOCK, ERROR, TIMEOUT }

    public Verdict verdict = Verdict.ERROR;
    /** The violated invariant (TLC names it); properties are not named by this TLC. */
    public String violated = "";
    public long states = -1, distinct = -1, depth = -1;
    public double seconds;
    public int exitCode = -1;
    public String model = "", profile = "", fixes = "";
    /** Readable counterexample, one line per step (empty when none). */
    public List<String> trace = new ArrayList<>();
    public String message = "";
    /** Simulation: steps taken per action of Next (TLC's coverage), in the spec's order. */
    public java.util.Map<String, Long> coverage = new java.util.LinkedHashMap<>();

    public boolean ok() { return verdict == Verdict.OK; }

    public String verdictText() {
        switch (verdict) {
            case OK: return "ok";
            case INVARIANT: return "violated:" + violated;
            case PROPERTY: return "violated:" + (violated.isEmpty() ? "temporal" : violated);
            case DEADLOCK: return "deadlock";
            case TIMEOUT: return "timeout";
            default: return "error";
        }
    }

    public String resultLine() {
        return String.format("RESULT model=%s profile=%s fixes=%s states=%d distinct=%d depth=%d time=%.1fs verdict=%s exit=%d",
                model, profile, fixes.isEmpty() ? "-" : fixes, states, distinct, depth, seconds, verdictText(), exitCode);
    }

    private static final Pattern KV = Pattern.compile("(\\w+)=(\\S+)");

    /** Parses a {@link #resultLine()} (as printed by a child JVM). */
    public static RunResult parse(String line) {
        RunResult r = new RunResult();
        Map<String, String> kv = new LinkedHashMap<>();
        Matcher m = KV.matcher(line);
        while (m.find()) kv.put(m.group(1), m.group(2));
        r.model = kv.getOrDefault("model", "");
        r.profile = kv.getOrDefault("profile", "");
        r.fixes = "-".equals(kv.get("fixes")) ? "" : kv.getOrDefault("fixes", "");
        r.states = Long.parseLong(kv.getOrDefault("states", "-1"));
        r.distinct = Long.parseLong(kv.getOrDefault("distinct", "-1"));
        r.depth = Long.parseLong(kv.getOrDefault("depth", "-1"));
        r.seconds = Double.parseDouble(kv.getOrDefault("time", "0s").replace("s", ""));
        r.exitCode = Integer.parseInt(kv.getOrDefault("exit", "-1"));
        String v = kv.getOrDefault("verdict", "error");
        if (v.equals("ok")) r.verdict = Verdict.OK;
        else if (v.equals("deadlock")) r.verdict = Verdict.DEADLOCK;
        else if (v.equals("timeout")) r.verdict = Verdict.TIMEOUT;
        else if (v.equals("violated:temporal")) r.verdict = Verdict.PROPERTY;
        else if (v.startsWith("violated:")) {
            r.violated = v.substring("violated:".length());
            r.verdict = r.violated.endsWith("Prop") ? Verdict.PROPERTY : Verdict.INVARIANT;
        }
        return r;
    }
}
