package eventports.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simulated process: a pid and a descriptor table. Its methods are the user-level API of
 * port(3C) — one method per call, named as in the man pages — and run in the calling thread,
 * which the scheduler identifies. Descriptor numbers are never reused within a process, so a
 * stale number always sees EBADF (conformance/FORMAT.md: "the name keeps the old number").
 */
public final class Proc {
    final PortSystem sys;
    public final int pid;
    /** fd → open file; guarded by {@link PortSystem#fileLock}. */
    private final TreeMap<Integer, FileObj> fds = new TreeMap<>();
    /**
     * The same table for {@link #getf}, which every call makes: read without the system-wide
     * lock (illumos' getf takes no table-wide lock either), written with it, next to fds.
     */
    private final java.util.concurrent.ConcurrentHashMap<Integer, FileObj> getfTable =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** fd → uf_portfd (fio.c): FD associations recorded on the descriptor; not inherited by fork. */
    private final Map<Integer, List<PortFdLink>> ufPortfd = new TreeMap<>();
    private int nextFd;

    Proc(PortSystem sys, int pid, int firstFd) {
        this.sys = sys;
        this.pid = pid;
        this.nextFd = firstFd;
    }

    /** The system this process lives in. */
    public PortSystem sys() {
        return sys;
    }

    // ---- port(3C) ---------------------------------------------------------------------

    /** port_create(3C): a new port; returns its descriptor. EAGAIN, EMFILE. */
    public int portCreate() throws PortException {
        try {
            return PortFs.portCreate(this);
        } catch (RuntimeException | Error e) {
            sys.callDied();
            throw e;
        }
    }

    /** port_send(3C): queue a PORT_SOURCE_USER event. EBADF, EBADFD, EAGAIN. */
    public void portSend(int port, int events, Object user) throws PortException {
        try {
            PortFs.portSend(this, port, events, user);
        } catch (RuntimeException | Error e) {
            sys.callDied();
            throw e;
        }
    }

    /** port_sendn(3C) as the PORT_SENDN system call: one user event to each port of the list. */
    public SendnResult portSendn(int[] ports, int events, Object user) throws PortException {
        try {
            return PortFs.portSendn(this, ports, events, user);
        } catch (RuntimeException | Error e) {
            sys.callDied();
            throw e;
        }
    }

    /** port_alert(3C): {@code events == 0} clears alert mode. EINVAL, EBUSY. */
    public void portAlert(int port, int flags, int events, Object user) throws PortException {
        try {
            PortFs.portAlert(this, port, flags, events, user);
        } catch (RuntimeException | Error e) {
            sys.callDied();
            throw e;
        }
    }

    /** _port_dispatch (project private): AIO / MQ events; blocks for a slot. EINVAL, EINTR. */
    public void portDispatch(int port, int source, int events, long object, Object user, boolean noshare)
            throws PortException {
        PortFs.portDispatch(this, port, source, events, object, user, noshare);
    }

    /** port_get(3C): one event; {@code timeout == null} waits forever. */
    public PortEvent portGet(int port, Timeout timeout) throws PortException {
        try {
            return PortFs.portGet(this, port, timeout);
        } catch (RuntimeException | Error e) {
            sys.callDied();
            throw e;
        }
    }

    /**
     * port_getn(3C): wait for at least {@code nget} events, take up to {@code max}. {@code max == 0}
     * is the count query. On ETIME the exception carries the partial count and events.
     */
    public GetnResult portGetn(int port, int max, int nget, Timeout timeout) throws PortException {
        try {
            return PortFs.portGetn(this, port, max, nget, timeout);
        } catch (RuntimeException | Error e) {
            sys.callDied();
            throw e;
        }
    }

    /**
     * port_getn(3C) into the caller's list, which it may reuse from call to call (then a
     * retrieval allocates nothing per event). Returns {@code *nget}; errors as
     * {@link #portGetn(int, int, int, Timeout)}.
     */
    public int portGetn(int port, PortEvents list, int max, int nget, Timeout timeout) throws PortException {
        try {
            return PortFs.portGetn(this, port, list, max, nget, timeout);
        } catch (RuntimeException | Error e) {
            sys.callDied();
            throw e;
        }
    }

    /** port_associate(3C). Only PORT_SOURCE_FD and PORT_SOURCE_FILE are valid (else EINVAL). */
    public void portAssociate(int port, int source, long object, int events, Object user) throws PortException {
        try {
            PortFs.portAssociate(this, port, source, object, events, user);
        } catch (RuntimeException | Error e) {
            sys.callDied();
            throw e;
        }
    }

    /** port_dissociate(3C). Only PORT_SOURCE_FD and PORT_SOURCE_FILE are valid (else EINVAL). */
    public void portDissociate(int port, int source, long object) throws PortException {
        try {
            PortFs.portDissociate(this, port, source, object);
        } catch (RuntimeException | Error e) {
            sys.callDied();
            throw e;
        }
    }

    /** close(2): a port's per-process close or last close (which may block, port_vnops.c port_close). */
    public void close(int fd) throws PortException {
        try {
            PortVnops.close(this, fd);
        } catch (RuntimeException | Error e) {
            sys.callDied();
            throw e;
        }
    }

    // ---- processes and descriptors ------------------------------------------------------

    /** fork(2): a child sharing every open file of this process, at the same numbers. */
    public Proc fork() {
        Proc child = sys.forkOf(this);
        synchronized (sys.fileLock) {
            for (Map.Entry<Integer, FileObj> e : fds.entrySet()) {
                e.getValue().fCount++;
                child.fds.put(e.getKey(), e.getValue());
                child.getfTable.put(e.getKey(), e.getValue());
                if (sys.tracer != null && e.getValue().vnode instanceof Port) {
                    // the child now holds the port: trace validation tracks who may close it
                    sys.tracer.emit("fork", pid, ((Port) e.getValue().vnode).id, "child", child.pid,
                            "fd", e.getKey());
                }
            }
            child.nextFd = nextFd;
        }
        return child;
    }

    /** exit(2): close every descriptor in ascending order. */
    public void exit() {
        for (int fd : openFds()) {
            try {
                close(fd);
            } catch (PortException e) {
                // a descriptor closed concurrently: nothing left to do for it
            }
        }
    }

    /** Open a pollable object that is not a port (conformance op fd_open). */
    public int fdOpen() throws PortException {
        return allocFd(new PollObject(sys.newObjectId(), sys.sched));
    }

    /** Open a pollable object of an event source (for example a NIO channel). EINVAL, EMFILE. */
    public int fdOpen(Pollable vnode) throws PortException {
        if (vnode == null) {
            throw new PortException(Errno.EINVAL);
        }
        return allocFd(vnode);
    }

    /**
     * addfd_port (fio.c): record an FD association on descriptor {@code fd}, so that closing
     * it dissociates. False if {@code fd} no longer refers to {@code fp} (closed meanwhile).
     */
    public boolean addfdPort(int fd, FileObj fp, PortFdLink pfd) {
        synchronized (sys.fileLock) {
            if (fds.get(fd) != fp) {
                return false;
            }
            ufPortfd.computeIfAbsent(fd, k -> new ArrayList<>()).add(pfd);
            return true;
        }
    }

    /** delfd_port (fio.c): forget an association recorded on {@code fd}. */
    public void delfdPort(int fd, PortFdLink pfd) {
        synchronized (sys.fileLock) {
            List<PortFdLink> l = ufPortfd.get(fd);
            if (l != null && l.remove(pfd) && l.isEmpty()) {
                ufPortfd.remove(fd);
            }
        }
    }

    /** close(2): detach the uf_portfd list of a descriptor that was just removed. */
    List<PortFdLink> takePortfd(int fd) {
        synchronized (sys.fileLock) {
            List<PortFdLink> l = ufPortfd.remove(fd);
            return l == null ? List.of() : l;
        }
    }

    public List<Integer> openFds() {
        synchronized (sys.fileLock) {
            return new ArrayList<>(fds.keySet());
        }
    }

    /** getf(): the open file behind {@code fd}, or null. */
    public FileObj getf(int fd) {
        return getfTable.get(fd);
    }

    /** falloc(): install a new open file at the next number. EMFILE when the table is full. */
    int allocFd(Object vnode) throws PortException {
        synchronized (sys.fileLock) {
            if (fds.size() >= sys.limits.fdMax()) {
                throw new PortException(Errno.EMFILE);
            }
            int fd = nextFd++;
            FileObj fp = new FileObj(vnode, sys.sched.newMutex("f_tlock"));
            fds.put(fd, fp);
            getfTable.put(fd, fp);
            return fd;
        }
    }

    /** Remove {@code fd} from the table (the start of close(2)); null if it was not open. */
    FileObj removeFd(int fd) {
        synchronized (sys.fileLock) {
            getfTable.remove(fd);
            return fds.remove(fd);
        }
    }

    @Override
    public String toString() {
        return "pid " + pid;
    }
}
