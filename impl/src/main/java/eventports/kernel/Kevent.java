package eventports.kernel;

/**
 * port_kevent_t: one event slot, allocated against a port's {@code port_curr} budget. The list
 * links make it a node of exactly one {@link KeventList} at a time (the port queue or a
 * retriever's temp list) while {@code PORT_KEV_DONEQ} is set. Fields are guarded by the port's
 * portq_mutex while queued and by PORTQ_BLOCKED while on a temp list.
 */
public final class Kevent {
    /** Unique per system: ties trace records and accounting to one slot. */
    public final long id;
    public int portkevSource;
    public int portkevEvents;
    public int portkevFlags;
    /** Allocating process: the owner (portkev_pid). */
    public int portkevPid;
    public long portkevObject;
    public Object portkevUser;
    public KeventCallback portkevCallback;
    public Object portkevArg;
    Port portkevPort;

    // list_t node
    Kevent prev;
    Kevent next;
    /** On some list (the queue or a temp list); a splice moves nodes without touching this. */
    boolean linked;

    Kevent(long id) {
        this.id = id;
    }

    public Port port() {
        return portkevPort;
    }

    @Override
    public String toString() {
        return "kev#" + id;
    }
}
