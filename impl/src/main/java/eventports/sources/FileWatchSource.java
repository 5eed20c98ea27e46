package eventports.sources;

import eventports.kernel.Errno;
import eventports.kernel.Port;
import eventports.kernel.Proc;

/** PORT_SOURCE_FILE (stub). */
public final class FileWatchSource {
    private FileWatchSource() {
    }

    public static int portAssociateFop(Proc cur, Port pp, int source, long object, int events, Object user) {
        return Errno.EFAULT.code;
    }

    public static int portDissociateFop(Proc cur, Port pp, long object) {
        return Errno.EINVAL.code;
    }
}
