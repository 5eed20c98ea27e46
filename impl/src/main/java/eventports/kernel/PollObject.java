package eventports.kernel;

/**
 * A pollable object that is not a port (what fd_open makes: like a pipe's read end). Its
 * readiness feeds PORT_SOURCE_FD associations once that source exists.
 */
public final class PollObject {
    public final int id;
    volatile int readyEvents;

    PollObject(int id) {
        this.id = id;
    }

    public int readyEvents() {
        return readyEvents;
    }
}
