package eventports.kernel;

/** Constants of sys/port.h, sys/port_impl.h and sys/port_kernel.h, with their illumos values. */
public final class Ports {
    private Ports() {
    }

    // event sources (sys/port.h)
    public static final int PORT_SOURCE_AIO = 1;
    public static final int PORT_SOURCE_TIMER = 2;
    public static final int PORT_SOURCE_USER = 3;
    public static final int PORT_SOURCE_FD = 4;
    public static final int PORT_SOURCE_ALERT = 5;
    public static final int PORT_SOURCE_MQ = 6;
    public static final int PORT_SOURCE_FILE = 7;

    // port_alert flags
    public static final int PORT_ALERT_SET = 0x01;
    public static final int PORT_ALERT_UPDATE = 0x02;
    public static final int PORT_ALERT_INVALID = PORT_ALERT_SET | PORT_ALERT_UPDATE;

    // portq_flags (port_impl.h)
    public static final int PORTQ_ALERT = 0x01;
    public static final int PORTQ_CLOSE = 0x02;
    public static final int PORTQ_WAIT_EVENTS = 0x04;
    public static final int PORTQ_POLLIN = 0x08;
    public static final int PORTQ_POLLOUT = 0x10;
    public static final int PORTQ_BLOCKED = 0x20;
    public static final int PORTQ_POLLWK_PEND = 0x40;

    // portkev_flags (port_kernel.h)
    public static final int PORT_KEV_PRIVATE = 0x01;
    public static final int PORT_KEV_CACHED = 0x02;
    public static final int PORT_KEV_SCACHED = 0x04;
    public static final int PORT_KEV_VALID = 0x08;
    public static final int PORT_KEV_DONEQ = 0x10;
    public static final int PORT_KEV_FREE = 0x20;
    public static final int PORT_KEV_NOSHARE = 0x40;
    public static final int PORT_CLEANUP_DONE = PORT_KEV_FREE | PORT_KEV_DONEQ;
    public static final int PORT_KEV_CACHE = PORT_KEV_CACHED | PORT_KEV_SCACHED;
    public static final int PORT_KEV_WIRED = PORT_KEV_PRIVATE | PORT_KEV_CACHED | PORT_KEV_SCACHED;

    // allocation types
    public static final int PORT_ALLOC_DEFAULT = 0;
    public static final int PORT_ALLOC_PRIVATE = PORT_KEV_PRIVATE;
    public static final int PORT_ALLOC_CACHED = PORT_KEV_CACHED;
    public static final int PORT_ALLOC_SCACHED = PORT_KEV_SCACHED;

    // callback flags
    public static final int PORT_CALLBACK_DEFAULT = 0;
    public static final int PORT_CALLBACK_CLOSE = 1;
    public static final int PORT_CALLBACK_DISSOCIATE = 2;

    // portget_t state and port_gettimer_t flags
    public static final int PORTGET_ALERT = 0x01;
    public static final int PORTGET_ONE = 0x01;
    public static final int PORTGET_WAIT_EVENTS = 0x02;

    /** PORT_FREE_EVENT(ev): the slot is freed on delivery (neither CACHED nor SCACHED). */
    static boolean portFreeEvent(Kevent k) {
        return (k.portkevFlags & PORT_KEV_CACHE) == 0;
    }

    public static String sourceName(int source) {
        switch (source) {
            case PORT_SOURCE_AIO: return "PORT_SOURCE_AIO";
            case PORT_SOURCE_TIMER: return "PORT_SOURCE_TIMER";
            case PORT_SOURCE_USER: return "PORT_SOURCE_USER";
            case PORT_SOURCE_FD: return "PORT_SOURCE_FD";
            case PORT_SOURCE_ALERT: return "PORT_SOURCE_ALERT";
            case PORT_SOURCE_MQ: return "PORT_SOURCE_MQ";
            case PORT_SOURCE_FILE: return "PORT_SOURCE_FILE";
            default: return Integer.toString(source);
        }
    }

    /** The source number of a name such as "PORT_SOURCE_FD", or -1. */
    public static int sourceOf(String name) {
        for (int s = PORT_SOURCE_AIO; s <= PORT_SOURCE_FILE; s++) {
            if (sourceName(s).equals(name)) {
                return s;
            }
        }
        return -1;
    }
}
