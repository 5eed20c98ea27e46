package eventports.kernel;

/**
 * port_gettimer_t: per-call state that survives the front end's retry loop (port.c:611-615,
 * port.c:630-634): the call's flags (PORTGET_ONE for port_get, PORTGET_WAIT_EVENTS once a retry
 * pass has waited), the loop flag, and the absolute deadline once computed. The seed keeps it
 * on the calling thread's kernel stack; the front end keeps one per thread and
 * {@link #start}s it anew for every call.
 */
final class PortGettimer {
    int pgtFlags;
    boolean pgtLoop;
    /** The caller's relative timeout, or null for "wait forever". */
    Timeout pgtTimeout;
    /** pgt_rqtp != NULL: an absolute deadline was computed (kept across passes). */
    boolean pgtHasDeadline;
    long pgtRqtime;
    /** Fix ScanGen: the port's send generation at this call's last scan. */
    long pgtScanGen;
    /** Not in port_gettimer_t: the descriptor the front end looked the port up by, for the trace. */
    int fd;

    PortGettimer(int flags, Timeout timeout, int fd) {
        start(flags, timeout, fd);
    }

    /** The state a new call starts with (port.c:601-609, port.c:626-629); returns this. */
    PortGettimer start(int flags, Timeout timeout, int fd) {
        pgtFlags = flags;
        pgtLoop = false;
        pgtTimeout = timeout;
        pgtHasDeadline = false;
        pgtRqtime = 0;
        pgtScanGen = 0;
        this.fd = fd;
        return this;
    }
}
