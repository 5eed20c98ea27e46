package eventports.sources;

/** PORT_SOURCE_AIO (stub). */
public final class AioSource {
    private AioSource() {
    }

    public static void aioClosePort(Object arg, int portFd, int pid, int lastclose) {
    }
}
