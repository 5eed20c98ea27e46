package eventports.kernel;

import java.util.Locale;

/**
 * Which protocol the core runs: {@link #ILLUMOS} is port.c as coded (plus the later illumos
 * fix to PORT_GET, port.c@57fb83de: ETIME when a timed call yields no event);
 * {@link #CORRECTED} applies every fix that model checking found (model-check/FINDINGS.md),
 * each named by a {@link Fix}.
 */
public enum Profile {
    ILLUMOS, CORRECTED;

    public boolean fixes(Fix f) {
        return this == CORRECTED;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Profile of(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
