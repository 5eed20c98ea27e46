package eventports.report;

/** The outcome of one step of {@code check}, as the report colours it. */
public enum Verdict {
    PASS,
    FAIL,
    /** A known finding of the illumos profile (FINDINGS.md) showed up as it should: not a failure. */
    EXPECTED;

    /** The verdict of a whole run: any failure fails it; expected findings do not. */
    public static Verdict overall(Iterable<Verdict> verdicts) {
        boolean expected = false;
        for (Verdict v : verdicts) {
            if (v == FAIL) {
                return FAIL;
            }
            expected |= v == EXPECTED;
        }
        return expected ? EXPECTED : PASS;
    }
}
