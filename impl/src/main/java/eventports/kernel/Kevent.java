package eventports.kernel;

/**
 * port_kevent_t: one event slot, allocated against a port's {@code port_curr} budget. The list
 * links make it a node of exactly one {@link KeventList} at a time (the port queue or a
 * retriever's temp list) while {@code PORT_KEV_DONEQ} is set. Fields are guarded by the port's
 * portq_mutex while queued and by PORTQ_BLOCKED while on a temp list.
 */
public final class Kevent {
    /**
     * The slot's name in trace records: a fresh number per system at every allocation while
     * tracing is on (so that a trace ties its records to one allocation, even of a reused
     * slot); 0 when tracing is off, where nothing reads it.
     */
    public long id;
    /** {@link #id} boxed, once per allocation: a slot's records (alloc, send, copy) share it. */
    Long idBox;
    public int portkevSource;
    public int portkevEvents;
    /**
     * Bits are changed through {@link #setFlags} and {@link #clearFlags}; the whole word is
     * written only at allocation and free, and by port_copy_event's denial (F14). Two threads
     * holding different locks change bits of this word at once: port_copy_event clears DONEQ with
     * no lock (port.c:1595-1596) while port_associate_fd clears VALID under portkev_lock. port.c's
     * plain {@code &=} can then lose one update (a data race beneath the spec's steps: FINDINGS.md,
     * "Below the model"); here each change is one atomic step, as the spec takes it.
     */
    public int portkevFlags;
    /** Allocating process: the owner (portkev_pid). */
    public int portkevPid;
    public long portkevObject;
    public Object portkevUser;
    public KeventCallback portkevCallback;
    public Object portkevArg;
    Port portkevPort;

    // list_t node; {@code next} also links the port's cache of free USER slots (Port.kevCacheAlloc)
    Kevent prev;
    Kevent next;
    /** On some list (the queue or a temp list); a splice moves nodes without touching this. */
    boolean linked;

    Kevent(long id) {
        this.id = id;
    }

    private static final java.lang.invoke.VarHandle FLAGS;

    static {
        try {
            FLAGS = java.lang.invoke.MethodHandles.lookup().findVarHandle(Kevent.class, "portkevFlags", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code portkev_flags |= bits}, as one atomic step. */
    public void setFlags(int bits) {
        FLAGS.getAndBitwiseOr(this, bits);
    }

    /** {@code portkev_flags &= ~bits}, as one atomic step. */
    public void clearFlags(int bits) {
        FLAGS.getAndBitwiseAnd(this, ~bits);
    }

    /**
     * {@link #id} as a record's "kev" value, boxed once per allocation: port_alloc_event_local
     * sets id and idBox together; port_alloc_event_block's fresh slot boxes on its first record.
     */
    Long traceId() {
        Long b = idBox;
        if (b == null) {
            b = id;
            idBox = b;
        }
        return b;
    }

    public Port port() {
        return portkevPort;
    }

    @Override
    public String toString() {
        return "kev#" + id;
    }
}
