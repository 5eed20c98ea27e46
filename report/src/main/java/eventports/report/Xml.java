package eventports.report;

/** Escaping for XML/HTML text and attribute values (SVG, HTML) and for Markdown table cells. */
final class Xml {
    private Xml() {}

    /**
     * Escapes the five markup characters and drops what XML 1.0 cannot carry at all (control
     * characters, lone surrogates): a detail string from a trace must never break the document.
     */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '\t', '\n', '\r' -> b.append(' ');
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c >= 0x20 && !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF) {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /**
     * Markdown text: a pipe or line break would end a table cell, markup is escaped as in HTML
     * (quotes need not be). Underscores stay: GFM does not emphasise inside words (port_getn).
     */
    static String md(String s) {
        return esc(s).replace("&quot;", "\"").replace("&#39;", "'").replace("|", "\\|").replace("*", "\\*");
    }
}
