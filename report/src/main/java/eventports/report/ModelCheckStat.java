package eventports.report;

import java.util.Objects;

/**
 * One TLC run: generated and distinct states, depth, wall time, verdict and the violated
 * property ("" when none). A negative count means TLC did not report it.
 */
public record ModelCheckStat(String model, String profile, long states, long distinct, long depth,
                             double seconds, Verdict verdict, String violated) {
    public ModelCheckStat {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(verdict, "verdict");
        profile = profile == null ? "" : profile;
        violated = violated == null ? "" : violated;
    }

    /** Distinct states per second, or NaN when either figure is missing. */
    public double distinctPerSecond() {
        return distinct < 0 || seconds <= 0 ? Double.NaN : distinct / seconds;
    }
}
