package eventports.kernel;

import java.util.List;

/**
 * A call returned -1 with errno set. For port_getn it also carries what user space sees
 * (libc event_port.c): the count stored in {@code *nget} (on ETIME the number of events collected; on
 * any other error {@code *nget} is untouched, so the count passed in) and the events written
 * into the caller's list, which ETIME may leave non-empty.
 */
public final class PortException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final int nget;
    private final transient List<PortEvent> events;

    public PortException(Errno errno) {
        this(errno, -1, List.of());
    }

    public PortException(Errno errno, int nget, List<PortEvent> events) {
        super(errno.name(), null, false, false);
        this.errno = errno;
        this.nget = nget;
        this.events = List.copyOf(events);
    }

    public Errno errno() {
        return errno;
    }

    /** port_getn only: {@code *nget} as user space sees it after the call. */
    public int nget() {
        return nget;
    }

    /** port_getn only: the events written into the caller's list (ETIME may write some). */
    public List<PortEvent> events() {
        return events;
    }
}
