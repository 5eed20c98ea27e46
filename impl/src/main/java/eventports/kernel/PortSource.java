package eventports.kernel;

/**
 * port_source_t: an event source associated with a port (portq_scache), with the callback
 * that port_close calls (lastclose 0 for a per-process close, 1 for the last close).
 */
public final class PortSource {
    /** {@code close(arg, port fd, closing pid, lastclose)}. */
    @FunctionalInterface
    public interface CloseCallback {
        void close(Object arg, int portFd, int pid, int lastclose);
    }

    final int portsrcSource;
    int portsrcCnt;
    final CloseCallback portsrcClose;
    final Object portsrcCloseArg;

    PortSource(int source, CloseCallback close, Object arg) {
        this.portsrcSource = source;
        this.portsrcClose = close;
        this.portsrcCloseArg = arg;
        this.portsrcCnt = 1;
    }
}
