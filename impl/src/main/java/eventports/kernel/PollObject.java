package eventports.kernel;

import eventports.sched.Sched;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pollable object that is not a port (what fd_open makes: like a pipe's read end). Its
 * readiness is set by the conformance ops fd_ready / fd_clear; becoming ready is a
 * pollwakeup on its pollhead, which fires armed PORT_SOURCE_FD associations.
 */
public final class PollObject implements Pollable {
    public final int id;
    private final AtomicInteger readyEvents = new AtomicInteger();
    private final PollHead pollhead;

    PollObject(int id, Sched sched) {
        this.id = id;
        this.pollhead = new PollHead(sched, "pollobj#" + id);
    }

    public int readyEvents() {
        return readyEvents.get();
    }

    /** fd_ready: the object becomes ready with {@code events} (added to what it had). */
    public void fdReady(int events) {
        readyEvents.accumulateAndGet(events, (a, b) -> a | b);
        pollhead.pollwakeup(events);
    }

    /** fd_clear: the object is no longer ready (no wake-up: nothing happened). */
    public void fdClear() {
        readyEvents.set(0);
    }

    @Override
    public int vopPoll(Proc cur, int events) {
        return readyEvents.get() & (events | PollEvents.POLLHUP | PollEvents.POLLERR);
    }

    @Override
    public PollHead pollhead() {
        return pollhead;
    }
}
