package eventports.kernel;

import java.util.Locale;

/**
 * Which layers of illumos the core runs. {@link #DESCRIPTORS}, the default, is what illumos
 * users see: the descriptor layer of fio.c above portfs. close(2) marks the descriptor closing
 * (a call that has not yet looked it up gets EBADF), evicts every other thread of the closing
 * process that is inside a call on that descriptor (an interruptible sleep ends; the call
 * returns EBADF if it would have returned EINTR: closeandsetf, MUSTRETURN, post_syscall), waits
 * until their references drain, and only then calls VOP_CLOSE (port_close) with the open
 * file's count; exit(2) first ends the process's other threads (exitlwps), then closes every
 * descriptor. {@link #PORTFS} turns that off and runs port.c's close protocol on its own, as
 * the seed's portfs codes it: close(2) removes the descriptor and calls port_close at once,
 * whatever threads of the closing process are still inside calls on it, and exit(2) only closes
 * the descriptors. Everything else (dup, descriptor passing, fork, f_count) is the same in both.
 */
public enum Layer {
    DESCRIPTORS, PORTFS;

    /** The scenario and command-line name: {@code descriptors} or {@code portfs}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Layer of(String s) {
        for (Layer l : values()) {
            if (l.id().equals(s)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown layer \"" + s + "\" (descriptors or portfs)");
    }
}
