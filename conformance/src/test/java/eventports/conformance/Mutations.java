package eventports.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Structure-aware mutations of a JSON or NDJSON text, for the reader fuzz tests: the kinds of
 * wrong input a careless or hostile user writes (a number out of range or of the wrong type, a
 * missing or repeated key, records swapped or dropped, a file cut short, stray bytes). Seeded,
 * so a failure replays.
 */
final class Mutations {
    private static final String[] VALUES = {"-1", "0", "1", "2147483648", "4294967297", "9223372036854775807",
            "-9223372036854775808", "1e20", "0.5", "\"x\"", "\"\"", "null", "true", "[]", "{}", "[1,[2,[3]]]"};
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
    private static final Pattern STRING = Pattern.compile("\"[^\"\\\\]*\"");
    private static final Pattern KEY = Pattern.compile("\"[a-z_]+\"\\s*:");

    private Mutations() {
    }

    /** {@code n} mutants of {@code text}, from seed {@code seed}. */
    static List<String> of(String text, long seed, int n) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(one(text, r));
        }
        return out;
    }

    private static String one(String t, Random r) {
        switch (r.nextInt(9)) {
            case 0: return replaceMatch(t, NUMBER, VALUES[r.nextInt(VALUES.length)], r);
            case 1: return replaceMatch(t, STRING, VALUES[r.nextInt(VALUES.length)], r);
            case 2: return replaceMatch(t, KEY, "\"" + randomKey(r) + "\":", r);
            case 3: return t.substring(0, r.nextInt(Math.max(1, t.length())));          // cut short
            case 4: return swapLines(t, r);
            case 5: return dropLine(t, r);
            case 6: {                                                                       // a stray byte
                int at = r.nextInt(t.length() + 1);
                return t.substring(0, at) + (char) (r.nextInt(0x2000)) + t.substring(at);
            }
            case 7: return duplicateLine(t, r);
            default: return replaceMatch(t, NUMBER, Long.toString(r.nextLong()), r);
        }
    }

    private static String randomKey(Random r) {
        String[] keys = {"op", "thread", "proc", "port", "events", "user", "timeout", "max", "nget", "expect", "seq",
                "kind", "action", "fd", "ms", "as", "steps", "limits", "profile", "ret", "errno"};
        return keys[r.nextInt(keys.length)];
    }

    private static String replaceMatch(String t, Pattern p, String with, Random r) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = p.matcher(t);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return t + with;
        }
        int[] s = spans.get(r.nextInt(spans.size()));
        return t.substring(0, s[0]) + with + t.substring(s[1]);
    }

    private static List<String> lines(String t) {
        return new ArrayList<>(List.of(t.split("\n", -1)));
    }

    private static String swapLines(String t, Random r) {
        List<String> l = lines(t);
        if (l.size() < 2) {
            return t;
        }
        java.util.Collections.swap(l, r.nextInt(l.size()), r.nextInt(l.size()));
        return String.join("\n", l);
    }

    private static String dropLine(String t, Random r) {
        List<String> l = lines(t);
        l.remove(r.nextInt(l.size()));
        return String.join("\n", l);
    }

    private static String duplicateLine(String t, Random r) {
        List<String> l = lines(t);
        int i = r.nextInt(l.size());
        l.add(i, l.get(i));
        return String.join("\n", l);
    }
}
