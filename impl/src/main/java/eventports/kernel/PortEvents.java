package eventports.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code port_event_t list[]} of port_getn(3C): an array the caller owns and passes to every
 * call, into which the kernel copies the events it retrieves (port.c:1524-1527, copyout). Kept
 * as one array per field, so that a retrieval allocates nothing per event; a caller that
 * reuses one list retrieves without garbage. Entry {@code i < count} of the last call is the
 * i-th event; what lies beyond the count is unspecified (a call that returned no event may
 * have written some, as a C caller's array may hold anything past {@code *nget}).
 *
 * <p>The array grows when a call retrieves more events than it holds (a C caller would have
 * passed a list of {@code max} entries). Not thread-safe: one list per calling thread.
 */
public final class PortEvents {
    private int[] events;
    private int[] sources;
    private long[] objects;
    private Object[] users;
    private int count;

    /** A list with room for {@code capacity} events (port_getn's {@code max}). */
    public PortEvents(int capacity) {
        int c = Math.max(1, capacity);
        events = new int[c];
        sources = new int[c];
        objects = new long[c];
        users = new Object[c];
    }

    /** Events the last call wrote (its {@code *nget} on success). */
    public int count() {
        return count;
    }

    public int events(int i) {
        return events[check(i)];
    }

    public int source(int i) {
        return sources[check(i)];
    }

    public long object(int i) {
        return objects[check(i)];
    }

    public Object user(int i) {
        return users[check(i)];
    }

    /** Entry {@code i} as a record (allocates). */
    public PortEvent get(int i) {
        check(i);
        return new PortEvent(events[i], sources[i], objects[i], users[i]);
    }

    /** The events of the last call as records (allocates). */
    public List<PortEvent> toList() {
        List<PortEvent> l = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            l.add(new PortEvent(events[i], sources[i], objects[i], users[i]));
        }
        return l;
    }

    private int check(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("event " + i + " of " + count);
        }
        return i;
    }

    // ---- the kernel's side -------------------------------------------------------------------

    /** Start a call's copy-out: nothing written yet. */
    void reset() {
        count = 0;
    }

    /** Copy one event out (port_copy_event's fill of the user record). */
    void add(int ev, int source, long object, Object user) {
        if (count == events.length) {
            grow();
        }
        events[count] = ev;
        sources[count] = source;
        objects[count] = object;
        users[count] = user;
        count++;
    }

    /** Take back what was written past entry {@code n} (events that are not copied out after all). */
    void truncate(int n) {
        count = n;
    }

    private void grow() {
        int c = events.length * 2;
        events = java.util.Arrays.copyOf(events, c);
        sources = java.util.Arrays.copyOf(sources, c);
        objects = java.util.Arrays.copyOf(objects, c);
        users = java.util.Arrays.copyOf(users, c);
    }
}
