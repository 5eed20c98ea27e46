package eventports.explore;

import java.util.ArrayList;
import java.util.List;

/**
 * One choice point of a run: the options the driver has (the primary ones first, then the
 * environment's) and the translation between them and the values of a recorded
 * {@link Schedule}, which name an option by the thread it concerns (see {@link Schedule}).
 */
final class ChoicePoint implements Schedule.Point {
    /** What the driver may do next. */
    enum Kind {
        /** Let a woken or paused thread run on. */
        AWAIT,
        /** Start an idle thread's next call. */
        START,
        /** Start it with {@code "pause": "delivery"}. */
        START_PAUSED,
        /** End the main phase (offered only when there is no primary option). */
        STOP,
        /** Advance virtual time by {@link Option#ms}. */
        ADVANCE,
        /** Interrupt a blocked or paused thread. */
        INTERRUPT
    }

    /** One option: its kind, the thread it concerns (if any), the time it advances (if any). */
    record Option(Kind kind, Actor actor, long ms) {
    }

    final List<Option> opts = new ArrayList<>();
    private final int primary;
    private final List<Actor> actors;
    private final long[] advanceMillis;
    /** Program threads (the first actors): primary values name one of them. */
    private final int n;
    /** Environment slots: the advances, then one interrupt per program thread. */
    private final int slots;

    ChoicePoint(List<Option> primary, List<Option> env, List<Actor> actors, int programActors, long[] advanceMillis) {
        opts.addAll(primary);
        opts.addAll(env);
        this.primary = primary.size();
        this.actors = actors;
        this.advanceMillis = advanceMillis;
        this.n = Math.max(1, programActors);
        this.slots = advanceMillis.length + n;
    }

    @Override
    public int size() {
        return opts.size();
    }

    @Override
    public int indexOf(int v) {
        if (v >= Schedule.ENV_THRESHOLD && opts.size() > primary) {
            int slot = (v - Schedule.ENV_THRESHOLD) % slots;
            for (int d = 0; d < slots; d++) {
                int idx = envIndex((slot + d) % slots);
                if (idx >= 0) {
                    return idx;
                }
            }
        }
        if (opts.get(0).kind() == Kind.STOP) {
            return 0;
        }
        int w = v >= Schedule.ENV_THRESHOLD ? v - Schedule.ENV_THRESHOLD : v;
        int a = (w / 4) % n;
        boolean pause = w % 4 == 3;
        for (int d = 0; d < n; d++) {
            int idx = primaryIndex((a + d) % n, pause);
            if (idx >= 0) {
                return idx;
            }
        }
        return 0;
    }

    private int primaryIndex(int actor, boolean pause) {
        Actor want = actors.get(actor);
        int plain = -1;
        for (int i = 0; i < primary; i++) {
            Option o = opts.get(i);
            if (o.actor() == want) {
                if (o.kind() == Kind.START_PAUSED) {
                    if (pause) {
                        return i;
                    }
                } else if (plain < 0) {
                    plain = i;
                }
            }
        }
        return plain;
    }

    private int envIndex(int slot) {
        for (int i = primary; i < opts.size(); i++) {
            Option o = opts.get(i);
            if (slot < advanceMillis.length ? o.kind() == Kind.ADVANCE && o.ms() == advanceMillis[slot]
                    : o.kind() == Kind.INTERRUPT && o.actor() == actors.get(slot - advanceMillis.length)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int valueOf(int index) {
        Option o = opts.get(index);
        switch (o.kind()) {
            case AWAIT:
            case START:
                return actors.indexOf(o.actor()) * 4;
            case START_PAUSED:
                return actors.indexOf(o.actor()) * 4 + 3;
            case ADVANCE:
                for (int k = 0; k < advanceMillis.length; k++) {
                    if (advanceMillis[k] == o.ms()) {
                        return Schedule.ENV_THRESHOLD + k;
                    }
                }
                return Schedule.ENV_THRESHOLD;
            case INTERRUPT:
                return Schedule.ENV_THRESHOLD + advanceMillis.length + actors.indexOf(o.actor());
            default:
                return 0;
        }
    }
}
