package eventports.kernel;

/** The errno values port.c and its callers return, with illumos' numbers (sys/errno.h). */
public enum Errno {
    ENOENT(2), EINTR(4), EIO(5), EBADF(9), EAGAIN(11), ENOMEM(12), EACCES(13), EFAULT(14),
    EBUSY(16), EINVAL(22), EMFILE(24), ENOTSUP(48), ETIME(62), EBADFD(81),
    // what the simulated file system's calls (eventports.sources.SimFs) return as well
    EPERM(1), EEXIST(17), EXDEV(18), ENOTDIR(20), EISDIR(21);

    public final int code;

    Errno(int code) {
        this.code = code;
    }

    public static Errno of(int code) {
        for (Errno e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown errno " + code);
    }
}
