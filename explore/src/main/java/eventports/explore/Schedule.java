package eventports.explore;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the driver's choices come from. At each choice point the driver offers its options
 * as a {@link Point}: the <em>primary</em> ones (await a woken or paused thread, start the
 * next call of an idle thread, start it with {@code "pause": "delivery"}; or "stop" when none
 * of those exists) and the <em>environment</em> ones (advance virtual time, interrupt a
 * blocked or paused thread).
 *
 * <p>A recorded schedule is a list of <em>values</em>, each naming a choice by who it concerns
 * rather than by its position in the list of options, so that removing a call or a thread while
 * shrinking leaves the other choices as they were: a value {@code v < ENV_THRESHOLD} picks the
 * primary action of thread number {@code (v / 4) mod threads} (or of the next thread, in program
 * order, that has one), with a pause in delivery if {@code v mod 4 == 3} and the call can pause;
 * a value {@code v >= ENV_THRESHOLD} picks environment slot {@code (v - ENV_THRESHOLD) mod
 * (2 + threads)}: 0 and 1 advance time by the two amounts, {@code 2 + k} interrupts thread k (or
 * the next available slot). After the last value, 0: let the program run.
 */
public interface Schedule {
    /** A choice point: its options, and the translation between values and option indices. */
    interface Point {
        int size();

        /** The option a value picks. */
        int indexOf(int value);

        /** The canonical value that picks option {@code index}. */
        int valueOf(int index);
    }

    /** Pick an option of {@code p}. */
    int choose(Point p);

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

    /** A recorded schedule (see the class comment). */
    static Schedule of(List<Integer> values) {
        return new Schedule() {
            private int pos;

            @Override
            public int choose(Point p) {
                int v = pos < values.size() ? Math.floorMod(values.get(pos), RANGE) : 0;
                pos++;
                return p.indexOf(v);
            }
        };
    }

    /**
     * Depth-first enumeration: replays {@code prefix} (option indices), then takes option 0,
     * and records every choice point so that {@link #next()} gives the next prefix to explore.
     */
    final class Dfs implements Schedule {
        private final List<Integer> prefix;
        /** {chosen index, number of options, value of the chosen option}. */
        private final List<int[]> points = new ArrayList<>();

        public Dfs(List<Integer> prefix) {
            this.prefix = prefix;
        }

        @Override
        public int choose(Point p) {
            int i = points.size();
            int total = p.size();
            int idx = i < prefix.size() ? prefix.get(i) : 0;
            if (idx >= total) {
                idx = total - 1; // cannot happen in a deterministic replay; stay in range anyway
            }
            points.add(new int[] {idx, total, p.valueOf(idx)});
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

        /** The choices made so far as the values of a recorded schedule that makes the same choices. */
        public List<Integer> asValues() {
            List<Integer> l = new ArrayList<>(points.size());
            for (int[] p : points) {
                l.add(p[2]);
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
