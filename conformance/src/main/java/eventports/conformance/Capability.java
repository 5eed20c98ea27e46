package eventports.conformance;

import java.util.Locale;

/**
 * The scenario features an implementation may or may not have (PROTOCOL.md "Capabilities").
 * A scenario needs a capability when one of its steps uses the feature ({@link Needs});
 * the wire name is the constant's name in lower case.
 */
public enum Capability {
    SENDN, ALERT, DISPATCH, PROCESSES, LIMITS, VIRTUAL_TIME, SIGNALS, PAUSE, FD, TIMER, SEED_CRASH,
    /** A port's own descriptor as a PORT_SOURCE_FD object: port polling, nested ports. */
    PORT_POLL,
    /** PORT_SOURCE_FILE watches on the scenario's simulated file system (its file_* ops). */
    FILE,
    /** dup, dup2 and passing a descriptor to another process (sendfd). */
    DESCRIPTORS,
    /** Turning the descriptor layer off ("layer": "portfs"): only a model of portfs on its own can. */
    PORTFS_LAYER,
    /** Which of several waiters a wake-up goes to is illumos' waiter ring (a behaviour claim). */
    WAKEUP_ORDER,
    /** A woken thread runs only when awaited (a deterministic scheduler). */
    DEFERRED_RUN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The capability of a wire name, or null if there is none by that name. */
    public static Capability of(String wire) {
        for (Capability c : values()) {
            if (c.wire().equals(wire)) {
                return c;
            }
        }
        return null;
    }
}
