package eventports.kernel;

/** The poll(2) event bits of sys/poll.h, with their illumos values. */
public final class PollEvents {
    private PollEvents() {
    }

    public static final int POLLIN = 0x0001;
    public static final int POLLPRI = 0x0002;
    public static final int POLLOUT = 0x0004;
    public static final int POLLRDNORM = 0x0040;
    public static final int POLLWRNORM = POLLOUT;
    public static final int POLLRDBAND = 0x0080;
    public static final int POLLWRBAND = 0x0100;
    public static final int POLLERR = 0x0008;
    public static final int POLLHUP = 0x0010;
    public static final int POLLNVAL = 0x0020;
}
