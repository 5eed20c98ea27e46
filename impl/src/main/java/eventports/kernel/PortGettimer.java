package eventports.kernel;

/**
 * port_gettimer_t: per-call state that survives the front end's retry loop (port.c:611-615,
 * port.c:630-634): the call's flags (PORTGET_ONE for port_get, PORTGET_WAIT_EVENTS once a retry
 * pass has waited), the loop flag, and the absolute deadline once computed.
 */
final class PortGettimer {
    int pgtFlags;
    boolean pgtLoop;
    /** The caller's relative timeout, or null for "wait forever". */
    final Timeout pgtTimeout;
    /** pgt_rqtp != NULL: an absolute deadline was computed (kept across passes). */
    boolean pgtHasDeadline;
    long pgtRqtime;
    /** Fix ScanGen: the port's send generation at this call's last scan. */
    long pgtScanGen;
    /** Not in port_gettimer_t: the descriptor the front end looked the port up by, for the trace. */
    final int fd;

    PortGettimer(int flags, Timeout timeout, int fd) {
        this.pgtFlags = flags;
        this.pgtTimeout = timeout;
        this.fd = fd;
    }
}
