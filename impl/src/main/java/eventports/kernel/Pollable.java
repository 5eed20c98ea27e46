package eventports.kernel;

/**
 * A vnode that supports VOP_POLL (poll.c): what PORT_SOURCE_FD can associate. Its readiness
 * changes reach interested parties through its {@link PollHead} ({@code pollwakeup}).
 */
public interface Pollable {
    /**
     * VOP_POLL with anyyet 0 (port_associate_fd's call): the events among {@code events} (plus
     * POLLHUP and POLLERR, which are always reported) that are ready now; 0 when none is known
     * to be, and then a later readiness is announced on {@link #pollhead()}. {@code cur} is the
     * calling process (curproc), for the object's own records.
     */
    int vopPoll(Proc cur, int events);

    /** The pollhead a later {@code pollwakeup} of this object is delivered through. */
    PollHead pollhead();

    /** VOP_CLOSE with the open file's reference count before close(2)'s decrement. */
    default void vopClose(int count) {
    }
}
