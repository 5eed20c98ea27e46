package eventports.explore;

import java.util.ArrayList;
import java.util.List;

/**
 * A logical thread of a run: a program thread, or the drain thread of a process. Its calls are
 * made in order; {@link #current} is the one in progress (started, not yet ended).
 */
final class Actor {
    final String name;
    final String proc;
    final List<Program.Call> calls;
    final boolean drain;
    /** Index of the next call to start. */
    int next;
    CallLog current;

    Actor(String name, String proc, List<Program.Call> calls, boolean drain) {
        this.name = name;
        this.proc = proc;
        this.calls = new ArrayList<>(calls);
        this.drain = drain;
    }
}
