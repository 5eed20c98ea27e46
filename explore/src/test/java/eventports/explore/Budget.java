package eventports.explore;

/** Test budgets: small in {@code mvn verify}, large with {@code -Pexhaustive}. */
final class Budget {
    private Budget() {
    }

    static boolean exhaustive() {
        return Boolean.getBoolean("eventports.explore.exhaustive");
    }

    static int of(int normal, int exhaustive) {
        return exhaustive() ? exhaustive : normal;
    }
}
