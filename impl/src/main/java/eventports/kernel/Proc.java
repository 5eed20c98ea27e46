package eventports.kernel;

import eventports.sched.KCondVar;
import eventports.sched.KMutex;
import eventports.trace.Action;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simulated process: a pid and a descriptor table. Its methods are the user-level API of
 * port(3C) and of the descriptor calls (close, dup, dup2, descriptor passing, fork, exit) —
 * one method per call, named as in the man pages — and run in the calling thread, which the
 * scheduler identifies. Each is a system call: the thread joins the process's threads in a
 * call, the call's descriptor references are taken and dropped by the descriptor layer
 * ({@link Fio}), and the result passes post_syscall's rule (a stale descriptor's EINTR is
 * EBADF). Descriptor numbers are never reused within a process, so a stale number always sees
 * EBADF (conformance/FORMAT.md: "the name keeps the old number"), unless dup2 installs a file
 * at that very number. After {@link #exit} every call fails with EBADF.
 */
public final class Proc {
    final PortSystem sys;
    public final int pid;
    /** fd → uf_entry_t; guarded by {@link PortSystem#fileLock}. */
    final TreeMap<Integer, UfEntry> fds = new TreeMap<>();
    /**
     * The threads that have made calls of this process, by scheduler handle, each kept (weakly:
     * a thread that ends leaves) and reused by its next call; those {@link KThread#inCall} are
     * its lwps inside a system call, {@link #lwpsInCall} of them. Guarded by fileLock.
     */
    final Map<Object, KThread> threads = new java.util.WeakHashMap<>();
    int lwpsInCall;
    /** exit(2) has begun: no call of this process starts any more; guarded by fileLock. */
    boolean exited;
    /** Threads asleep on {@link #ufClosingCv}, and on {@link #lwpExitCv}; guarded by fileLock. */
    int ufWaiters;
    int exitWaiters;
    /** uf_lock: taken only to wait on or signal uf_closing_cv (fio.c) or the exit wait. */
    final KMutex ufLock;
    /** uf_closing_cv: close(2) waits here for a descriptor's references to drain (fio.c). */
    final KCondVar ufClosingCv;
    /** exit(2) waits here for the process's other threads to leave their calls (exitlwps). */
    final KCondVar lwpExitCv;
    /** The next descriptor number; guarded by fileLock. */
    private int nextFd;

    Proc(PortSystem sys, int pid, int firstFd) {
        this.sys = sys;
        this.pid = pid;
        this.nextFd = firstFd;
        this.ufLock = sys.sched.newMutex("uf_lock#" + pid);
        this.ufClosingCv = sys.sched.newCondVar("uf_closing_cv#" + pid);
        this.lwpExitCv = sys.sched.newCondVar("p_lwpexit#" + pid);
    }

    /** The system this process lives in. */
    public PortSystem sys() {
        return sys;
    }

    /** A system call's body. */
    @FunctionalInterface
    interface Body<T> {
        T run() throws PortException;
    }

    /**
     * Run {@code body} as a system call of this process: syscall entry (EBADF once the process
     * has exited), the body, post_syscall's errno rule, syscall exit. An unchecked exception
     * inside the body (where illumos would panic) releases the kernel mutexes the thread holds.
     */
    @SuppressWarnings("unchecked")
    <T> T syscall(Body<T> body) throws PortException {
        return syscallOn(-1, (p, fd, b, x, y, unused) -> ((Body<T>) b).run(), body, 0, 0, null);
    }

    /**
     * A call on descriptor {@code fd} whose arguments travel beside it, so that its body
     * captures nothing (one object for all calls, no allocation per event: issue 16).
     */
    @FunctionalInterface
    interface FdBody<T> {
        T run(Proc p, int fd, Object a, int x, int y, Object b) throws PortException;
    }

    /**
     * {@link #syscall} for the calls an event moves through (port_send, port_getn into a
     * list): their getf on {@code fd} is taken with the syscall entry (Fio.syscallEntry(Proc, int)).
     */
    <T> T syscallOn(int fd, FdBody<T> body, Object a, int x, int y, Object b) throws PortException {
        KThread kt = Fio.syscallEntry(this, fd);
        try {
            return body.run(this, fd, a, x, y, b);
        } catch (PortException e) {
            throw Fio.postSyscall(kt, e);
        } catch (RuntimeException | Error e) {
            sys.callDied();                 // an unchecked exception: release the thread's mutexes
            throw e;
        } finally {
            Fio.syscallExit(this, kt);
        }
    }

    // ---- port(3C) ---------------------------------------------------------------------

    /** port_create(3C): a new port; returns its descriptor. EAGAIN, EMFILE. */
    public int portCreate() throws PortException {
        return syscall(() -> PortFs.portCreate(this));
    }


    /** port_send(3C): queue a PORT_SOURCE_USER event. EBADF, EBADFD, EAGAIN. */
    public void portSend(int port, int events, Object user) throws PortException {
        syscallOn(port, (p, fd, u, ev, unused, unused2) -> {
            PortFs.portSend(p, fd, ev, u);
            return null;
        }, user, events, 0, null);
    }


    /** port_sendn(3C) as the PORT_SENDN system call: one user event to each port of the list. */
    public SendnResult portSendn(int[] ports, int events, Object user) throws PortException {
        return syscall(() -> PortFs.portSendn(this, ports, events, user));
    }


    /** port_alert(3C): {@code events == 0} clears alert mode. EINVAL, EBUSY. */
    public void portAlert(int port, int flags, int events, Object user) throws PortException {
        syscall(() -> {
            PortFs.portAlert(this, port, flags, events, user);
            return null;
        });
    }


    /** _port_dispatch (project private): AIO / MQ events; blocks for a slot. EINVAL, EINTR. */
    public void portDispatch(int port, int source, int events, long object, Object user, boolean noshare)
            throws PortException {
        syscall(() -> {
            PortFs.portDispatch(this, port, source, events, object, user, noshare);
            return null;
        });
    }


    /** port_get(3C): one event; {@code timeout == null} waits forever. */
    public PortEvent portGet(int port, Timeout timeout) throws PortException {
        return syscall(() -> PortFs.portGet(this, port, timeout));
    }


    /**
     * port_getn(3C): wait for at least {@code nget} events, take up to {@code max}. {@code max == 0}
     * is the count query. On ETIME the exception carries the partial count and events.
     */
    public GetnResult portGetn(int port, int max, int nget, Timeout timeout) throws PortException {
        try {
            return syscall(() -> PortFs.portGetn(this, port, max, nget, timeout));
        } catch (PortException e) {
            throw untouched(e, nget);
        }
    }

    /**
     * A port_getn that failed before the call reached the port (an exited process's EBADF at
     * syscall entry) left the caller's {@code *nget} as it was, as PortFs's own early errors do.
     */
    private static PortException untouched(PortException e, int nget) {
        return e.nget() < 0 ? new PortException(e.errno(), nget, e.events()) : e;
    }

    /**
     * port_getn(3C) into the caller's list, which it may reuse from call to call (then a
     * retrieval allocates nothing per event). Returns {@code *nget}; errors as
     * {@link #portGetn(int, int, int, Timeout)}.
     */
    public int portGetn(int port, PortEvents list, int max, int nget, Timeout timeout) throws PortException {
        try {
            return syscallOn(port, (p, fd, l, mx, ng, to) -> PortFs.portGetn(p, fd, (PortEvents) l, mx, ng, (Timeout) to),
                    list, max, nget, timeout);
        } catch (PortException e) {
            throw untouched(e, nget);
        }
    }

    /** port_associate(3C). Only PORT_SOURCE_FD and PORT_SOURCE_FILE are valid (else EINVAL). */
    public void portAssociate(int port, int source, long object, int events, Object user) throws PortException {
        syscall(() -> {
            PortFs.portAssociate(this, port, source, object, events, user);
            return null;
        });
    }


    /** port_dissociate(3C). Only PORT_SOURCE_FD and PORT_SOURCE_FILE are valid (else EINVAL). */
    public void portDissociate(int port, int source, long object) throws PortException {
        syscall(() -> {
            PortFs.portDissociate(this, port, source, object);
            return null;
        });
    }


    /**
     * close(2). In the descriptor layer it first evicts this process's other threads in calls
     * on {@code fd} (they return EBADF) and waits for them to leave (fio.c closeandsetf); then
     * a port's per-process or last close (which may block, port_vnops.c port_close). EBADF.
     */
    public void close(int fd) throws PortException {
        syscall(() -> {
            Fio.close(this, fd);
            return null;
        });
    }


    /** dup(2): a new descriptor for {@code fd}'s open file (fcntl F_DUPFD from 0). EBADF, EMFILE. */
    public int dup(int fd) throws PortException {
        return fcntlDupfd(fd, 0);
    }

    /** fcntl(fd, F_DUPFD, minfd): a new descriptor numbered at least {@code minfd}. EBADF, EINVAL, EMFILE. */
    public int fcntlDupfd(int fd, int minfd) throws PortException {
        return syscall(() -> Fio.dupfd(this, fd, minfd));
    }

    /**
     * dup2(3C) (fcntl F_DUP2FD): {@code fd2} refers to {@code fd}'s open file; what {@code fd2}
     * referred to is closed first, as close(2) does (which may block). Returns {@code fd2}. EBADF.
     */
    public int dup2(int fd, int fd2) throws PortException {
        return syscall(() -> Fio.dup2(this, fd, fd2));
    }

    /**
     * Pass descriptor {@code fd} to process {@code to} (ioctl I_SENDFD here, I_RECVFD there):
     * a new descriptor in {@code to} for the same open file. EBADF ({@code fd} not open, or
     * {@code to} has exited), EMFILE.
     */
    public int sendfd(int fd, Proc to) throws PortException {
        return syscall(() -> Fio.sendfd(this, fd, to));
    }

    // ---- processes and descriptors ------------------------------------------------------

    /** fork(2): a child sharing every open file of this process, at the same numbers. EBADF after exit. */
    public Proc fork() throws PortException {
        sys.fileLock.enter();
        try {
            if (exited) {
                throw new PortException(Errno.EBADF);
            }
            Proc child = sys.forkOf(this);
            for (Map.Entry<Integer, UfEntry> e : fds.entrySet()) {
                FileObj fp = e.getValue().ufFile;
                if (fp == null) {
                    continue;                       // being closed: not inherited
                }
                fp.fCount++;
                child.fds.put(e.getKey(), new UfEntry(fp));
                if (sys.tracer != null && fp.vnode instanceof Port) {
                    // the child now holds the port: trace validation tracks who may close it
                    sys.tracer.emit(Action.FORK, pid, ((Port) fp.vnode).id, "child", child.pid, "fd", e.getKey());
                }
            }
            child.nextFd = nextFd;
            return child;
        } finally {
            sys.fileLock.exit();
        }
    }

    /**
     * exit(2): no later call of this process starts (EBADF); in the descriptor layer its other
     * threads in calls leave them first (exitlwps: their calls end with EINTR); then every
     * descriptor is closed, lowest number first. EBADF if the process has exited already.
     */
    public void exit() throws PortException {
        try {
            Fio.exit(this);
        } catch (RuntimeException | Error e) {
            sys.callDied();
            throw e;
        }
    }

    /** Whether exit(2) has begun. */
    public boolean exited() {
        sys.fileLock.enter();
        try {
            return exited;
        } finally {
            sys.fileLock.exit();
        }
    }

    /** Open a pollable object that is not a port (conformance op fd_open). EMFILE; EBADF after exit. */
    public int fdOpen() throws PortException {
        return fdOpen(new PollObject(sys.newObjectId(), sys.sched));
    }

    /** Open a pollable object of an event source (for example a NIO channel). EINVAL, EMFILE; EBADF after exit. */
    public int fdOpen(Pollable vnode) throws PortException {
        if (vnode == null) {
            throw new PortException(Errno.EINVAL);
        }
        sys.fileLock.enter();
        try {
            if (exited) {
                throw new PortException(Errno.EBADF);
            }
            return allocFd(new FileObj(vnode, sys.sched.newMutex("f_tlock")), 0);
        } finally {
            sys.fileLock.exit();
        }
    }

    /**
     * addfd_port (fio.c): record an FD association on descriptor {@code fd}, so that closing
     * it dissociates. False if {@code fd} no longer refers to {@code fp} (closed meanwhile).
     */
    public boolean addfdPort(int fd, FileObj fp, PortFdLink pfd) {
        sys.fileLock.enter();
        try {
            UfEntry u = fds.get(fd);
            if (u == null || u.ufFile != fp) {
                return false;
            }
            u.ufPortfd.add(pfd);
            return true;
        } finally {
            sys.fileLock.exit();
        }
    }

    /** delfd_port (fio.c): forget an association recorded on {@code fd}. */
    public void delfdPort(int fd, PortFdLink pfd) {
        sys.fileLock.enter();
        try {
            UfEntry u = fds.get(fd);
            if (u != null) {
                u.ufPortfd.remove(pfd);
            }
        } finally {
            sys.fileLock.exit();
        }
    }

    /** The open descriptors, lowest first (a descriptor being closed is not open). */
    public List<Integer> openFds() {
        sys.fileLock.enter();
        try {
            List<Integer> l = new ArrayList<>();
            for (Map.Entry<Integer, UfEntry> e : fds.entrySet()) {
                if (e.getValue().ufFile != null) {
                    l.add(e.getKey());
                }
            }
            return l;
        } finally {
            sys.fileLock.exit();
        }
    }

    /**
     * The open file behind {@code fd}, or null: a look-up, without getf's reference (the event
     * sources' short look-ups inside a call, and tests). A descriptor being closed is not open.
     */
    public FileObj file(int fd) {
        sys.fileLock.enter();
        try {
            UfEntry u = fds.get(fd);
            return u == null ? null : u.ufFile;
        } finally {
            sys.fileLock.exit();
        }
    }

    /**
     * falloc / ufalloc_file: install {@code fp} at the first number at least {@code minfd} that
     * this process has never used. EMFILE when the table is full. Called with the table lock held.
     */
    int allocFd(FileObj fp, int minfd) throws PortException {
        if (fds.size() >= sys.limits.fdMax()) {
            throw new PortException(Errno.EMFILE);
        }
        int fd = Math.max(nextFd, minfd);
        nextFd = fd + 1;
        fds.put(fd, new UfEntry(fp));
        return fd;
    }

    /** setf at a number dup2 chose (a free slot). Called with the table lock held. */
    void install(int fd, FileObj fp) {
        fds.put(fd, new UfEntry(fp));
        nextFd = Math.max(nextFd, fd + 1);
    }

    @Override
    public String toString() {
        return "pid " + pid;
    }
}
