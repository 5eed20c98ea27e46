package eventports.sources;

import eventports.kernel.Errno;
import eventports.kernel.PortException;

/** Test helper: the errno a call fails with (a call that succeeds fails the test). */
final class Errnos {
    private Errnos() {
    }

    interface Call {
        void run() throws PortException;
    }

    static Errno errno(Call c) {
        try {
            c.run();
        } catch (PortException e) {
            return e.errno();
        }
        throw new AssertionError("no error");
    }
}
