package eventports.modelcheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tlc2.tool.TLCStateInfo;
import tlc2.value.IValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.Value;

/**
 * Makes a TLC counterexample readable: one line per step, "action: what
 * changed"; for the per-thread record th only the changed fields of the
 * threads that moved (their pc first).
 */
public final class TraceFormatter {
    private TraceFormatter() {}

    private static final Pattern ACTION = Pattern.compile("<(\\w+)");

    public static List<String> format(List<TLCStateInfo> states) {
        List<String> out = new ArrayList<>();
        Map<String, String> prev = null;
        Map<String, Map<String, Map<String, String>>> prevTh = null;
        int n = 0;
        for (TLCStateInfo si : states) {
            n++;
            if (si == null || si.state == null) {   // liveness: "Stuttering" / "Back to state N"
                String what = si == null || si.info == null ? "" : si.info.toString().trim();
                if (what.isEmpty() || what.contains("Stuttering")) what = "stuttering: the behaviour stays here for ever";
                out.add(String.format("%2d %s", n, what.replaceAll("\\s+", " ")));
                continue;
            }
            Map<String, String> vals = new LinkedHashMap<>();
            Map<String, Map<String, Map<String, String>>> th = new LinkedHashMap<>();
            for (Map.Entry<util.UniqueString, IValue> e : si.state.getVals().entrySet()) {
                String k = e.getKey().toString();
                vals.put(k, oneLine(String.valueOf(e.getValue())));
                if (k.equals("th")) th.put(k, threads(e.getValue()));
            }
            String info = si.info == null ? "" : si.info.toString();
            Matcher m = ACTION.matcher(info);
            String action = n == 1 ? "Init" : m.find() ? m.group(1) : info.replaceAll("\\s+", " ");
            StringBuilder line = new StringBuilder(String.format("%2d %-24s", n, action));
            List<String> parts = new ArrayList<>();
            if (prevTh != null && th.containsKey("th")) {
                Map<String, Map<String, String>> a = prevTh.get("th"), b = th.get("th");
                for (String t : b.keySet()) {
                    Map<String, String> ra = a.get(t), rb = b.get(t);
                    List<String> ch = new ArrayList<>();
                    if (!rb.get("pc").equals(ra.get("pc"))) ch.add("pc=" + rb.get("pc"));
                    for (String f : rb.keySet()) {
                        if (f.equals("pc") || f.equals("op") && "idle".equals(rb.get("pc"))) continue;
                        if (!rb.get(f).equals(ra.get(f)) && !"idle".equals(rb.get("pc"))) ch.add(f + "=" + rb.get(f));
                    }
                    if (!ch.isEmpty()) parts.add(t + "{" + String.join(" ", ch) + "}");
                }
            }
            for (Map.Entry<String, String> e : vals.entrySet()) {
                String k = e.getKey();
                if (k.equals("th")) continue;
                if (prev == null) {
                    if (k.equals("refs") || k.equals("qflags")) parts.add(k + "=" + e.getValue());
                } else if (!e.getValue().equals(prev.get(k))) {
                    parts.add(k + "=" + changedEntries(prev.get(k), e.getValue()));
                }
            }
            line.append(String.join("  ", parts));
            out.add(line.toString());
            prev = vals;
            prevTh = th;
        }
        return out;
    }

    private static Map<String, Map<String, String>> threads(IValue v) {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        Value f = ((Value) v).toFcnRcd();
        if (!(f instanceof FcnRcdValue)) return m;
        FcnRcdValue fr = (FcnRcdValue) f;
        for (int i = 0; i < fr.domain.length; i++) {
            Map<String, String> rec = new LinkedHashMap<>();
            Value r = fr.values[i].toRcd();
            if (r instanceof RecordValue) {
                RecordValue rv = (RecordValue) r;
                for (int j = 0; j < rv.names.length; j++) {
                    String val = oneLine(String.valueOf(rv.values[j]));
                    if (rv.names[j].toString().equals("op")) val = opText(rv.values[j]);
                    rec.put(rv.names[j].toString(), val);
                }
            }
            m.put(String.valueOf(fr.domain[i]), rec);
        }
        return m;
    }

    /** An op record as the call it stands for, e.g. getn(2,2,pos); "@1" for a call on descriptor 1. */
    private static String opText(Value v) {
        Value r = v.toRcd();
        if (!(r instanceof RecordValue)) return oneLine(String.valueOf(v));
        RecordValue rv = (RecordValue) r;
        Map<String, String> f = new LinkedHashMap<>();
        for (int j = 0; j < rv.names.length; j++) f.put(rv.names[j].toString(), String.valueOf(rv.values[j]).replace("\"", ""));
        String fd = f.getOrDefault("fd", "0").equals("0") ? "" : "@" + f.get("fd");
        switch (f.get("kind")) {
            case "get": return "get(" + f.get("to") + ")" + fd;
            case "getn": return "getn(" + f.get("max") + "," + f.get("nget") + "," + f.get("to") + ")" + fd;
            case "alert": return "alert(" + f.get("aflags") + "," + f.get("aval") + ")" + fd;
            default: return f.get("kind") + fd;
        }
    }

    /**
     * For a function printed as (a :> x @@ b :> y), only the entries that
     * changed, e.g. [t1 :> TRUE]; other values unchanged.
     */
    static String changedEntries(String before, String after) {
        Map<String, String> a = entries(before), b = entries(after);
        if (a == null || b == null || !a.keySet().equals(b.keySet())) return after;
        List<String> ch = new ArrayList<>();
        for (String k : b.keySet()) if (!b.get(k).equals(a.get(k))) ch.add(k + " :> " + b.get(k));
        return "[" + String.join(", ", ch) + "]";
    }

    private static Map<String, String> entries(String v) {
        String s = v.trim();
        if (s.startsWith("(") && s.endsWith(")")) s = s.substring(1, s.length() - 1).trim();
        if (!s.contains(" :> ")) return null;
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : s.split(" @@ ")) {
            int i = part.indexOf(" :> ");
            if (i < 0) return null;
            m.put(part.substring(0, i).trim(), part.substring(i + 4).trim());
        }
        return m;
    }

    private static String oneLine(String s) { return s.replaceAll("\\s+", " ").trim(); }
}
