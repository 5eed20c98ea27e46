package eventports.explore;

import java.util.List;

/**
 * The world after the settle phase (time past every deadline, every woken thread run): the
 * observations, and every call still in progress.
 */
public record EndState(int step, Obs obs, List<Blocked> blocked) {

    /** A call still in progress: blocked (and whether anything would let it continue) or paused. */
    public record Blocked(CallLog call, String state, boolean runnable) {
    }
}
