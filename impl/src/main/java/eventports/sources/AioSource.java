package eventports.sources;

import eventports.kernel.Errno;
import eventports.kernel.FileObj;
import eventports.kernel.Kevent;
import eventports.kernel.Port;
import eventports.kernel.PortException;
import eventports.kernel.PortSubr;
import eventports.kernel.PortSystem;
import eventports.kernel.Ports;
import eventports.kernel.Proc;
import eventports.sched.KCondVar;
import eventports.sched.KMutex;
import eventports.sched.RealSched;
import eventports.trace.Action;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/*
 * PORT_SOURCE_AIO (illumos aio.c / aio_subr.c; port.c:124-138).
 *
 * An asynchronous read or write with SIGEV_PORT notification reserves one PORT_ALLOC_DEFAULT
 * slot when it is submitted (aio_req_assoc_port_rw: object = the aiocb, user = portnfy_user,
 * events = AIOAREAD / AIOAWRITE, callback aio_port_callback), so a full port refuses the
 * request (EAGAIN) instead of losing its completion. The request waits on its process's
 * pending list; its completion (aio_done, here the channel's CompletionHandler) moves it to
 * the done list and sends the slot. Delivery runs aio_port_callback in the retriever's
 * process: another process is denied (EACCES, owner-only); in the owner the request leaves
 * the done list and its result is copied out to the aiocb (aio_return / aio_error), so the
 * result becomes visible exactly when the event is retrieved.
 *
 * Every port is pre-associated with this source at port_create (port_init), so every close
 * of a port reaches aio_close_port with the closing process: if that process has requests
 * on the port still in progress, they are marked AIO_CLOSE_PORT, the close waits for them to
 * complete, and then every completed-but-undelivered request of the process on the port is
 * discarded (port_free_event: a queued event is only marked FREE). As in illumos, a close
 * that finds nothing in progress discards nothing: completed events stay queued for their
 * owner (and go with the port's last close, port_close_events).
 *
 * Locks: aio_portq_mutex (per process) → portq_mutex. Real-thread runtime only: completions
 * arrive on the JVM's asynchronous-channel threads.
 */

/** PORT_SOURCE_AIO: AsynchronousFileChannel reads and writes that notify a port. */
public final class AioSource {
    private AioSource() {
    }

    /** sys/aio.h request codes delivered as portev_events (the kaio subcall numbers). */
    public static final int AIOAREAD = 11;
    public static final int AIOAWRITE = 12;

    /** The user's aiocb: identity (portev_object) and, after its event was retrieved, the result. */
    public static final class Aiocb {
        /** errno.h EINPROGRESS (illumos 150): aio_error before the result was copied out. */
        public static final int EINPROGRESS = 150;

        final long object;
        private volatile int aioErrno = EINPROGRESS;
        private volatile long aioReturn = -1;

        Aiocb(long object) {
            this.object = object;
        }

        /** The portev_object of this request's event. */
        public long object() {
            return object;
        }

        /** aio_error: EINPROGRESS until the completion event was retrieved, then 0 or an errno value. */
        public int aioError() {
            return aioErrno;
        }

        /** aio_return: bytes transferred (valid once {@link #aioError()} is 0). */
        public long aioReturn() {
            return aioReturn;
        }
    }

    /** aio_req_t: a request in the kernel. */
    static final class AioReq {
        final Aiocb cb;
        final Proc proc;
        final Port aioReqPort;
        Kevent aioReqPortkev;
        /** AIO_CLOSE_PORT: the port is being closed and waits for this request. */
        boolean closePort;
        /** The port's close discards this completed request: its event must not be delivered. */
        boolean discarded;
        long result;
        int errno;

        AioReq(Aiocb cb, Proc proc, Port port) {
            this.cb = cb;
            this.proc = proc;
            this.aioReqPort = port;
        }
    }

    /** aio_t: a process's port-notified requests. */
    static final class AioT {
        final KMutex aioPortqMutex;
        final KCondVar aioPortcv;
        final List<AioReq> aioPortpending = new ArrayList<>();
        final List<AioReq> aioPortq = new ArrayList<>();
        int aioPortpendcnt;

        AioT(PortSystem sys, int pid) {
            aioPortqMutex = sys.sched.newMutex("aio_portq_mutex#" + pid);
            aioPortcv = sys.sched.newCondVar("aio_portcv#" + pid);
        }
    }

    /** Per-system: each process's aio_t (p_aio), and aiocb identities. */
    static final class State {
        final Map<Integer, AioT> pAio = new ConcurrentHashMap<>();
        final AtomicLong nextObject = new AtomicLong(0x1000);
    }

    private static State state(PortSystem sys) {
        return sys.sourceState(State.class, s -> new State());
    }

    /** aio_read with SIGEV_PORT {port, user}: read into {@code dst} from {@code offset}. */
    public static Aiocb aioRead(Proc p, int port, AsynchronousFileChannel ch, ByteBuffer dst, long offset, Object user)
            throws PortException {
        return aiorw(p, port, ch, dst, offset, user, AIOAREAD);
    }

    /** aio_write with SIGEV_PORT {port, user}: write {@code src} at {@code offset}. */
    public static Aiocb aioWrite(Proc p, int port, AsynchronousFileChannel ch, ByteBuffer src, long offset, Object user)
            throws PortException {
        return aiorw(p, port, ch, src, offset, user, AIOAWRITE);
    }

    /**
     * aiorw + aio_req_assoc_port_rw: EINVAL for a port descriptor that is not an open port or a
     * negative offset; EAGAIN when the port's event limit is reached; EBADF when the channel
     * is closed or not open for this direction; ENOTSUP on the deterministic runtime.
     */
    private static Aiocb aiorw(Proc p, int port, AsynchronousFileChannel ch, ByteBuffer buf, long offset, Object user,
                               int event) throws PortException {
        PortSystem sys = p.sys();
        if (!(sys.sched instanceof RealSched)) {
            throw new PortException(Errno.ENOTSUP);
        }
        if (ch == null || buf == null || offset < 0) {
            throw new PortException(Errno.EINVAL);
        }
        FileObj fp = p.file(port);
        if (fp == null || !(fp.vnode() instanceof Port)) {
            throw new PortException(Errno.EINVAL);           // EBADF/EBADFD of the port become EINVAL
        }
        Port pp = (Port) fp.vnode();
        State st = state(sys);
        Kevent pkevp = PortSubr.portAllocEventLocal(p, pp, Ports.PORT_SOURCE_AIO, Ports.PORT_ALLOC_DEFAULT);
        Aiocb cb = new Aiocb(st.nextObject.getAndIncrement());
        AioReq req = new AioReq(cb, p, pp);
        PortSubr.portInitEvent(pkevp, cb.object, user, AioSource::aioPortCallback, req);
        pkevp.portkevEvents = event;
        req.aioReqPortkev = pkevp;
        AioT aiop = st.pAio.computeIfAbsent(p.pid, pid -> new AioT(sys, pid));
        aiop.aioPortqMutex.enter();
        aiop.aioPortpending.add(req);
        aiop.aioPortqMutex.exit();
        CompletionHandler<Integer, AioReq> done = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, AioReq r) {
                aioDone(aiop, r, n, 0);
            }

            @Override
            public void failed(Throwable t, AioReq r) {
                aioDone(aiop, r, -1, Errno.EIO.code);
            }
        };
        try {
            if (event == AIOAREAD) {
                ch.read(buf, offset, req, done);
            } else {
                ch.write(buf, offset, req, done);
            }
        } catch (RuntimeException e) {
            // NonReadable/NonWritableChannelException, or the channel's executor is gone
            aiop.aioPortqMutex.enter();
            aiop.aioPortpending.remove(req);
            aiop.aioPortqMutex.exit();
            req.aioReqPortkev = null;
            PortSubr.portFreeEvent(pkevp);
            throw new PortException(Errno.EBADF);
        }
        if (pp.sys.tracer != null) {
            aiop.aioPortqMutex.enter();
            PortSubr.trace(pp, Action.AIORW, p.pid, "aiocb", cb.object, "kev", pkevp.id, "event", event);
            aiop.aioPortqMutex.exit();
        }
        return cb;
    }

    /**
     * aio_done: the request completed; it moves to the done list and its event is sent. A
     * request the port's close is waiting for counts down the close's wait.
     */
    static void aioDone(AioT aiop, AioReq req, long result, int errno) {
        aiop.aioPortqMutex.enter();
        try {
            req.result = result;
            req.errno = errno;
            aiop.aioPortpending.remove(req);
            aiop.aioPortq.add(req);
            Port pp = req.aioReqPort;
            if (pp.sys.tracer != null) {
                PortSubr.trace(pp, Action.AIO_DONE, req.proc.pid, "aiocb", req.cb.object, "kev", req.aioReqPortkev.id, "result", result,
                        "close_port", req.closePort);
            }
            PortSubr.portSendEvent(req.aioReqPortkev);
            if (req.closePort && --aiop.aioPortpendcnt == 0) {
                aiop.aioPortcv.broadcast();
            }
        } finally {
            aiop.aioPortqMutex.exit();
        }
    }

    /**
     * aio_port_callback: another process is denied (EACCES); in the owner the request leaves
     * the done list and, on delivery (not on the port's close), its result is copied out.
     */
    static int aioPortCallback(Object arg, int[] events, int pid, int flag, Kevent kev, Proc curproc) {
        AioReq req = (AioReq) arg;
        if (pid != curproc.pid) {
            return Errno.EACCES.code;
        }
        AioT aiop = state(curproc.sys()).pAio.get(pid);
        aiop.aioPortqMutex.enter();
        if (req.discarded) {
            aiop.aioPortqMutex.exit();
            return Errno.EACCES.code;               // its port's close is taking it back
        }
        req.aioReqPortkev = null;
        aiop.aioPortq.remove(req);
        aiop.aioPortqMutex.exit();
        if (flag == Ports.PORT_CALLBACK_DEFAULT) {
            req.cb.aioReturn = req.result;
            req.cb.aioErrno = req.errno;
        }
        return 0;
    }

    /**
     * aio_close_port: the port pre-association's close callback (arg = the port). Waits for
     * the closing process's requests on the port that are still in progress, then discards
     * that process's completed, undelivered requests on the port.
     */
    public static void aioClosePort(Object arg, int portFd, int pid, int lastclose) {
        Port pp = (Port) arg;
        State st = pp.sys.sourceStateIfAny(State.class);
        AioT aiop = st == null ? null : st.pAio.get(pid);
        if (aiop == null) {
            return;                                      // the process never used AIO with ports
        }
        List<Kevent> discard = new ArrayList<>();
        aiop.aioPortqMutex.enter();
        try {
            int counter = 0;
            for (AioReq req : aiop.aioPortpending) {
                if (req.aioReqPortkev != null && req.aioReqPort == pp && !req.closePort) {
                    req.closePort = true;
                    counter++;
                }
            }
            if (pp.sys.tracer != null) {
                PortSubr.trace(pp, Action.AIO_CLOSE_PORT, pid, "lastclose", lastclose, "pending", counter);
            }
            if (counter == 0) {
                return;
            }
            aiop.aioPortpendcnt += counter;
            while (aiop.aioPortpendcnt > 0) {
                aiop.aioPortcv.await(aiop.aioPortqMutex);
            }
            for (AioReq req : new ArrayList<>(aiop.aioPortq)) {
                if (req.aioReqPort == pp && req.aioReqPortkev != null) {
                    aiop.aioPortq.remove(req);
                    req.discarded = true;
                    discard.add(req.aioReqPortkev);
                    req.aioReqPortkev = null;
                }
            }
        } finally {
            aiop.aioPortqMutex.exit();
        }
        // illumos frees with aio_portq_mutex held; port_free_event takes the port block, which
        // a retriever may hold while it waits for that mutex in aio_port_callback. Here the
        // requests are marked discarded (their callback denies them) and their events are
        // taken out of the queue and released after the mutex is dropped.
        for (Kevent k : discard) {
            PortSubr.portRemoveDoneEvent(k);
            PortSubr.portFreeEvent(k);
        }
    }
}
