package eventports.explore;

import java.util.ArrayList;
import java.util.List;

/** A check that looks at one run at a time (the built-in ones of {@link Checks}). */
abstract class PerRunCheck implements RunCheck {
    @Override
    public List<Violation> check(List<RunRecord> runs) {
        List<Violation> all = new ArrayList<>();
        for (RunRecord r : runs) {
            all.addAll(check(r));
        }
        return all;
    }

    /** The violations of one finished run. */
    abstract List<Violation> check(RunRecord r);
}
