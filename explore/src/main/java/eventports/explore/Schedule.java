package eventports.explore;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the driver's choices come from. At each choice point the driver lists its options:
 * first the <em>primary</em> ones (await a woken or paused thread, start the next call of an
 * idle thread, start it with {@code "pause": "delivery"}; or, when none of those exists, "stop"),
 * then the <em>environment</em> ones (advance virtual time, interrupt a blocked or paused
 * thread). Option 0 is always the most ordinary one, so a schedule that runs out of choices —
 * or one shrunk towards 0 — just lets the program run.
 */
public interface Schedule {
    /** Pick an option: {@code [0, primary)} primary, {@code [primary, total)} environment. */
    int choose(int primary, int total);

    /**
     * Whether the last choice replayed a prefix already explored (systematic mode): the state
     * it leads to is on the path being extended, not a new one, so it must not be pruned.
     */
    default boolean replaying() {
        return false;
    }

    /** Values of a random schedule are drawn from {@code [0, RANGE)}. */
    int RANGE = 1000;
    /** A value at or above this picks an environment option (when there is one). */
    int ENV_THRESHOLD = 880;

    /**
     * A recorded random schedule: each value {@code c} picks primary option {@code c mod primary}
     * if {@code c < ENV_THRESHOLD}, else environment option {@code c mod env}; after the last
     * value, option 0.
     */
    static Schedule of(List<Integer> values) {
        return new Schedule() {
            private int pos;

            @Override
            public int choose(int primary, int total) {
                if (pos >= values.size()) {
                    return 0;
                }
                int c = Math.floorMod(values.get(pos++), RANGE);
                int env = total - primary;
                if (env > 0 && (c >= ENV_THRESHOLD || primary == 0)) {
                    return primary + c % env;
                }
                return c % primary;
            }
        };
    }

    /**
     * Depth-first enumeration: replays {@code prefix} (option indices), then takes option 0,
     * and records every choice point so that {@link #next()} gives the next prefix to explore.
     */
    final class Dfs implements Schedule {
        private final List<Integer> prefix;
        private final List<int[]> points = new ArrayList<>();

        public Dfs(List<Integer> prefix) {
            this.prefix = prefix;
        }

        @Override
        public int choose(int primary, int total) {
            int i = points.size();
            int idx = i < prefix.size() ? prefix.get(i) : 0;
            if (idx >= total) {
                idx = total - 1; // cannot happen in a deterministic replay; stay in range anyway
            }
            points.add(new int[] {idx, total, primary});
            return idx;
        }

        @Override
        public boolean replaying() {
            return points.size() < prefix.size();
        }

        /** The choices made so far, as option indices. */
        public List<Integer> taken() {
            List<Integer> l = new ArrayList<>(points.size());
            for (int[] p : points) {
                l.add(p[0]);
            }
            return l;
        }

        /**
         * The choices made so far as values of a recorded schedule ({@link Schedule#of}) that makes
         * the same choices: a primary option {@code i} is the value {@code i}, an environment option
         * {@code e} a value at or above {@link #ENV_THRESHOLD} that is {@code e} modulo their number.
         */
        public List<Integer> asValues() {
            List<Integer> l = new ArrayList<>(points.size());
            for (int[] p : points) {
                int idx = p[0];
                int primary = p[2];
                if (idx < primary) {
                    l.add(idx);
                } else {
                    int env = p[1] - primary;
                    l.add(ENV_THRESHOLD + Math.floorMod(idx - primary - ENV_THRESHOLD, env));
                }
            }
            return l;
        }

        /** The next prefix in depth-first order, or null when every branch has been taken. */
        public List<Integer> next() {
            for (int i = points.size() - 1; i >= 0; i--) {
                int[] p = points.get(i);
                if (p[0] + 1 < p[1]) {
                    List<Integer> n = new ArrayList<>(i + 1);
                    for (int j = 0; j < i; j++) {
                        n.add(points.get(j)[0]);
                    }
                    n.add(p[0] + 1);
                    return n;
                }
            }
            return null;
        }
    }
}
