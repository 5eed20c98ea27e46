package eventports.kernel;

import eventports.sched.KCondVar;
import eventports.trace.Action;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The descriptor layer above portfs: fio.c (getf, releasef, closeandsetf, closef, closeall),
 * fcntl.c (F_DUPFD, F_DUP2FD), the stream ioctls that pass a descriptor to another process
 * (I_SENDFD / I_RECVFD), exit(2)'s exitlwps, and post_syscall's errno rule (syscall.c).
 *
 * <p>Each process's table maps descriptor numbers to {@link UfEntry} slots; a slot points at
 * an open file ({@link FileObj}) whose f_count says how many slots of all processes point at
 * it (fork, dup, descriptor passing add one each). A system call that names a descriptor
 * takes a reference on the slot (getf: uf_refcnt, and the thread's t_activefd) and drops it
 * when it returns (releasef).
 *
 * <p>close(2) in the {@link Layer#DESCRIPTORS} layer (closeandsetf): the slot's file is cleared
 * at once, so a call that has not yet done its getf gets EBADF; every other thread of the
 * process that holds a reference on that descriptor is marked stale (a_stale) and, if asleep
 * interruptibly, woken (setrun; {@link eventports.sched.Sched#mustReturn}): its
 * cv_waituntil_sig returns 0, the engine's EINTR, and post_syscall turns EINTR into EBADF for
 * a stale call; a stale call that finishes without EINTR returns what it got. The closer then
 * sleeps on uf_closing_cv until the references drain, removes the descriptor's FD
 * associations (port_close_fd), and only then calls closef: VOP_CLOSE (port_close) with the
 * open file's count before its own decrement, under f_tlock. So no thread of the closing
 * process is inside port_getn on that descriptor when port_close runs. In the
 * {@link Layer#PORTFS} layer the eviction and the wait are left out: the seed's portfs on its
 * own, where port_close may race with the closer's own threads.
 *
 * <p>exit(2): no call of the process starts any more (EBADF); in the descriptor layer every
 * other thread of the process inside a call is made to return (exitlwps: like a signal, its
 * call ends with EINTR; illumos never returns it to user space) and exit waits for them to
 * leave; then closeall closes every descriptor, lowest number first.
 *
 * <p>Descriptor numbers are not reused within a process (a new descriptor gets a number never
 * used before), so a stale number sees EBADF; only dup2 names its target number, and may
 * install a file at a number that was closed.
 *
 * <p>Locks: uf_lock ({@link Proc#ufLock}) is taken only to wait on or signal uf_closing_cv;
 * the table and every count are guarded by {@link PortSystem#fileLock}, a leaf lock, which is
 * held for look-ups and updates only, never across a sleep or another lock (uf_lock may be
 * held when it is taken). Neither is ever held with a port's locks.
 */
final class Fio {
    private Fio() {
    }

    // ---- system call entry and exit ------------------------------------------------------

    /**
     * Syscall entry of a call on descriptor {@code fd} (or -1): the calling thread becomes one
     * of the process's threads in a call. An exited process has no threads, so illumos offers
     * no way to call into it: every call of an exited process fails with EBADF (its descriptor
     * table is gone, fio.c closeall). With {@code fd}, in the same critical section, the getf
     * the call is about to make (its reference is taken here; {@link #getf} then returns the
     * file without taking the table lock again). Taking the
     * reference at entry instead of a moment later changes nothing observable: no record and
     * no lock of the port lies in between, and a close in that moment finds the call holding
     * the descriptor, as it would right after its getf.
     */
    static KThread syscallEntry(Proc cur, int fd) throws PortException {
        PortSystem sys = cur.sys;
        Object me = sys.sched.kthread();
        // the thread's previous call was most likely in this process: its KThread, which stays
        // in cur.threads while the thread lives, is found without the table's weak map
        KThread last = CALLER.get();
        boolean known = last != null && last.proc == cur && last.handle() == me;
        sys.fileLock.enter();
        try {
            if (cur.exited) {
                throw new PortException(Errno.EBADF);
            }
            KThread kt = known ? last : cur.threads.get(me);
            if (kt == null) {
                kt = new KThread(cur, me, sys.sched.currentThreadName());
                cur.threads.put(me, kt);
            } else if (kt.inCall) {
                kt.depth++;     // a call made from inside a call (the caller's record stays)
                return kt;
            }
            kt.inCall = true;
            kt.aStale = false;
            kt.entryFile = null;
            cur.lwpsInCall++;
            if (!known) {
                CALLER.set(kt);
            }
            UfEntry u = fd < 0 ? null : cur.fds.get(fd);
            if (u != null && u.ufFile != null) {
                u.ufRefcnt++;
                kt.setActive(fd, u);                                     // set_active_fd
                kt.entryFd = fd;
                kt.entryFile = u.ufFile;
            }
            return kt;
        } finally {
            sys.fileLock.exit();
        }
    }

    /**
     * The KThread of the calling thread's system call in progress, as syscallEntry left it (a
     * real thread, and each DetSched thread, runs on a JVM thread of its own): getf and
     * releasef find it here instead of in the process's table. Checked against the process
     * and the scheduler's handle, since the same JVM thread may drive another scheduler.
     */
    private static final ThreadLocal<KThread> CALLER = new ThreadLocal<>();

    /** The KThread syscall entry left for the calling thread, if it is this one's call in {@code cur}; else null. */
    private static KThread entered(Proc cur) {
        KThread kt = CALLER.get();
        return kt != null && kt.proc == cur && kt.inCall && kt.handle() == cur.sys.sched.kthread() ? kt : null;
    }

    /** The calling thread's KThread in {@code cur} if it is inside a call, else null. fileLock held. */
    private static KThread caller(Proc cur) {
        KThread kt = entered(cur);
        if (kt == null) {
            kt = cur.threads.get(cur.sys.sched.kthread());
        }
        return kt != null && kt.inCall ? kt : null;
    }

    /**
     * post_syscall (syscall.c): a call that returns EINTR after close(2) closed one of its
     * descriptors under it returns EBADF instead; every other result stands.
     */
    static PortException postSyscall(KThread kt, PortException e) {
        if (kt != null && kt.depth == 0 && kt.aStale && e.errno() == Errno.EINTR) {
            return new PortException(Errno.EBADF, e.nget(), e.events());
        }
        return e;
    }

    /** Syscall exit: references left over are dropped, MUSTRETURN ends (clear_stale_fd). */
    static void syscallExit(Proc cur, KThread kt) {
        if (kt == null) {
            return;
        }
        if (kt.depth > 0) {
            kt.depth--;         // the end of a call made inside a call: the outer one goes on
            return;
        }
        PortSystem sys = cur.sys;
        boolean notify;
        boolean drained = false;
        sys.fileLock.enter();
        try {
            for (int i = 0; i < kt.nActive; i++) {
                drained |= --kt.activeSlots[i].ufRefcnt == 0;         // releasef's deferred too
                kt.activeSlots[i] = null;
            }
            kt.nActive = 0;
            kt.entryFile = null;
            kt.goesOn = false;
            kt.inCall = false;
            cur.lwpsInCall--;
            sys.sched.clearMustReturn();
            notify = cur.exitWaiters > 0;
            drained &= cur.ufWaiters > 0;
        } finally {
            sys.fileLock.exit();
        }
        if (drained) {
            wake(cur, cur.ufClosingCv);
        }
        if (notify) {
            wake(cur, cur.lwpExitCv);
        }
    }

    // ---- getf / releasef -----------------------------------------------------------------

    /**
     * getf (fio.c): the open file behind {@code fd} with a reference on the slot, or null
     * (EBADF) if the descriptor is not open or is being closed. Called inside a system call.
     */
    static FileObj getf(Proc cur, int fd) {
        PortSystem sys = cur.sys;
        KThread me = entered(cur);
        if (me != null && me.entryFile != null && me.entryFd == fd) {
            FileObj fp = me.entryFile;                                   // taken at syscall entry
            me.entryFile = null;
            return fp;
        }
        sys.fileLock.enter();
        try {
            UfEntry u = cur.fds.get(fd);
            if (u == null || u.ufFile == null) {
                return null;
            }
            KThread kt = caller(cur);
            if (kt != null) {
                u.ufRefcnt++;
                kt.setActive(fd, u);                                     // set_active_fd
            }
            return u.ufFile;
        } finally {
            sys.fileLock.exit();
        }
    }

    /** releasef (fio.c): drop the calling thread's reference on {@code fd}; the last one wakes a closer. */
    static void releasef(Proc cur, int fd) {
        KThread mine = entered(cur);
        if (mine != null && !mine.goesOn && mine.depth == 0 && mine.nActive == 1 && mine.activeFds[0] == fd) {
            // the call's only reference: syscall exit, which follows with no record or port lock
            // in between, drops it (and wakes a closer) in its own critical section
            return;
        }
        dropf(cur, fd);
    }

    /**
     * The calling thread's call goes on after its releasefs (port_sendn's entries): each drops
     * its reference at once, as fio.c's does, so a close of an entry already passed does not
     * wait for the rest of the call. Until syscall exit.
     */
    static void callGoesOn(Proc cur) {
        KThread kt = entered(cur);
        if (kt != null) {
            kt.goesOn = true;
        }
    }

    /**
     * releasef's drop of the calling thread's latest reference on {@code fd}, made now: for a
     * call that goes on to sleep before its syscall exit (dup2's close of its target), whose
     * reference a closer of {@code fd} must not wait for.
     */
    private static void dropf(Proc cur, int fd) {
        PortSystem sys = cur.sys;
        boolean notify = false;
        sys.fileLock.enter();
        try {
            KThread kt = caller(cur);
            UfEntry u = kt == null ? null : kt.clearActive(fd);          // clear_active_fd
            if (u == null) {
                return;
            }
            if (--u.ufRefcnt == 0) {
                notify = cur.ufWaiters > 0;
            }
        } finally {
            sys.fileLock.exit();
        }
        if (notify) {
            wake(cur, cur.ufClosingCv);                                  // cv_broadcast(uf_closing_cv)
        }
    }

    // ---- close ---------------------------------------------------------------------------

    /** close(2): closeandsetf with no new file. EBADF if {@code fd} is not open. */
    static void close(Proc cur, int fd) throws PortException {
        closeandsetf(cur, fd, null, -1);
    }

    /**
     * closeandsetf (fio.c): close whatever occupies slot {@code fd} and install {@code newfp}
     * there (null: leave it free; else dup2's file, from descriptor {@code from}). The slot
     * stays reserved across the close. EBADF if {@code newfp} is null and {@code fd} is not open.
     */
    static void closeandsetf(Proc cur, int fd, FileObj newfp, int from) throws PortException {
        PortSystem sys = cur.sys;
        boolean layer = sys.layer == Layer.DESCRIPTORS;
        BooleanSupplier closing = () -> {
            UfEntry e = cur.fds.get(fd);
            return e != null && e.ufFile == null;
        };
        UfEntry u;
        FileObj fp;
        List<KThread> stale = new ArrayList<>();
        for (;;) {
            if (newfp != null) {
                // dup2 onto a slot another thread is closing waits for that close (uf_busy, no file)
                waitWhile(cur, false, closing);
            }
            sys.fileLock.enter();
            try {
                u = cur.fds.get(fd);
                if (u == null || u.ufFile == null) {
                    if (newfp == null) {
                        throw new PortException(Errno.EBADF);
                    }
                    if (u != null) {
                        continue;                                        // closing again: wait again
                    }
                    cur.install(fd, newfp);                              // a free slot: setf
                    traceDup(cur, newfp, from, fd);
                    return;
                }
                fp = u.ufFile;
                u.ufFile = null;
                if (layer && u.ufRefcnt > 0) {
                    // other threads of this process are in calls on fd: mark them stale (a_stale)
                    Object me = sys.sched.kthread();
                    for (KThread k : cur.threads.values()) {
                        if (k.inCall && k.handle() != me && k.holds(fd)) {
                            k.aStale = true;
                            stale.add(k);
                        }
                    }
                }
                Runnable record = null;
                if (layer && sys.tracer != null && fp.vnode instanceof Port) {
                    List<String> names = new ArrayList<>();
                    stale.forEach(k -> names.add(k.name));
                    Port port = (Port) fp.vnode;
                    record = () -> PortSubr.trace(port, Action.CLOSEANDSETF, cur.pid, "fd", fd, "stale", names);
                }
                // setrun if ISWAKEABLE; under the table lock, so that the mark reaches a thread
                // still in its call (syscall exit clears it under the same lock, never before);
                // the record goes with the mark, so no sleeper's outcome is traced between them
                List<Object> handles = new ArrayList<>();
                stale.forEach(k -> handles.add(k.handle()));
                sys.sched.mustReturn(handles, record);
                break;
            } finally {
                sys.fileLock.exit();
            }
        }
        final UfEntry slot = u;
        if (layer) {
            waitWhile(cur, false, () -> slot.ufRefcnt > 0);                     // the references drain
        }
        List<PortFdLink> pfds;
        sys.fileLock.enter();
        try {
            pfds = new ArrayList<>(u.ufPortfd);
            u.ufPortfd.clear();
        } finally {
            sys.fileLock.exit();
        }
        for (PortFdLink pfd : pfds) {
            pfd.portClosePfd(cur);                                       // port_close_fd
        }
        closef(cur, fp, fd);
        boolean notify;
        sys.fileLock.enter();
        try {
            if (newfp == null) {
                cur.fds.remove(fd);                                      // setf(fd, NULL)
            } else {
                u.ufFile = newfp;                                        // setf(fd, newfp)
                traceDup(cur, newfp, from, fd);
            }
            notify = cur.ufWaiters > 0;
        } finally {
            sys.fileLock.exit();
        }
        if (notify) {
            wake(cur, cur.ufClosingCv);
        }
    }

    /**
     * closef (fio.c): under f_tlock, VOP_CLOSE with the open file's count before the
     * decrement (port_close: a count above 1 is a per-process close); the last reference
     * then releases the vnode (port_inactive).
     */
    static void closef(Proc cur, FileObj fp, int fd) {
        PortSystem sys = cur.sys;
        fp.fTlock.enter();
        int count;
        sys.fileLock.enter();
        try {
            count = fp.fCount--;
        } finally {
            sys.fileLock.exit();
        }
        if (fp.vnode instanceof Port) {
            PortVnops.portClose(cur, (Port) fp.vnode, count, fd);
        } else if (fp.vnode instanceof Pollable) {
            ((Pollable) fp.vnode).vopClose(count);
        }
        fp.fTlock.exit();
        if (count == 1 && fp.vnode instanceof Port) {
            PortVnops.portInactive(sys, (Port) fp.vnode);
        }
    }

    // ---- dup, dup2, descriptor passing --------------------------------------------------

    /**
     * fcntl(fd, F_DUPFD, minfd) (fcntl.c), and dup(fd) with {@code minfd} 0: a new descriptor,
     * numbered at least {@code minfd}, for the same open file (f_count + 1). EBADF: {@code fd}
     * not open; EINVAL: {@code minfd} negative or not below the table size; EMFILE: table full.
     */
    static int dupfd(Proc cur, int fd, int minfd) throws PortException {
        PortSystem sys = cur.sys;
        return holding(cur, fd, fp -> {
            if (minfd < 0 || minfd >= sys.limits.fdMax()) {
                throw new PortException(Errno.EINVAL);
            }
            sys.fileLock.enter();
            try {
                int nfd = cur.allocFd(fp, minfd);                       // EMFILE (ufalloc_file)
                fp.fCount++;
                traceDup(cur, fp, fd, nfd);
                return nfd;
            } finally {
                sys.fileLock.exit();
            }
        });
    }

    /**
     * fcntl(fd, F_DUP2FD, fd2) (fcntl.c), dup2(3C): {@code fd2} refers to {@code fd}'s open
     * file; whatever {@code fd2} referred to is closed first, as close(2) closes it (so this
     * may block). EBADF: {@code fd} not open, or {@code fd2} out of range.
     */
    static int dup2(Proc cur, int fd, int fd2) throws PortException {
        PortSystem sys = cur.sys;
        FileObj fp = getf(cur, fd);
        if (fp == null) {
            throw new PortException(Errno.EBADF);
        }
        if (fd == fd2) {
            releasef(cur, fd);
            return fd2;
        }
        if (fd2 < 0 || fd2 >= sys.limits.fdMax()) {
            releasef(cur, fd);
            throw new PortException(Errno.EBADF);
        }
        // fcntl.c: count the new reference first, then drop getf's, so that two threads doing
        // dup2(a, b) and dup2(b, a) cannot wait for each other's releasef; dropped now, not at
        // syscall exit (releasef's shortcut), since closing fd2 may sleep
        sys.fileLock.enter();
        try {
            fp.fCount++;
        } finally {
            sys.fileLock.exit();
        }
        dropf(cur, fd);
        closeandsetf(cur, fd2, fp, fd);
        return fd2;
    }

    /**
     * I_SENDFD by {@code cur} and I_RECVFD by {@code to} (streamio.c): a new descriptor in
     * {@code to} for the open file behind {@code fd} (f_count + 1). EBADF: {@code fd} not open
     * or {@code to} has exited; EMFILE: {@code to}'s table is full.
     */
    static int sendfd(Proc cur, int fd, Proc to) throws PortException {
        PortSystem sys = cur.sys;
        return holding(cur, fd, fp -> {
            sys.fileLock.enter();
            try {
                if (to.exited) {
                    throw new PortException(Errno.EBADF);
                }
                int nfd = to.allocFd(fp, 0);
                fp.fCount++;
                if (sys.tracer != null && fp.vnode instanceof Port) {
                    PortSubr.trace((Port) fp.vnode, Action.SENDFD, cur.pid, "fd", fd, "to", to.pid, "newfd", nfd);
                }
                return nfd;
            } finally {
                sys.fileLock.exit();
            }
        });
    }

    /** What a call does with the open file behind a descriptor it holds (getf ... releasef). */
    @FunctionalInterface
    private interface WithFile {
        int apply(FileObj fp) throws PortException;
    }

    /** getf (EBADF if {@code fd} is not open), {@code body}, releasef. */
    private static int holding(Proc cur, int fd, WithFile body) throws PortException {
        FileObj fp = getf(cur, fd);
        if (fp == null) {
            throw new PortException(Errno.EBADF);
        }
        try {
            return body.apply(fp);
        } finally {
            releasef(cur, fd);
        }
    }

    /** The "dup" record of a port descriptor installed at {@code nfd} (called with the table lock). */
    private static void traceDup(Proc cur, FileObj fp, int fd, int nfd) {
        if (cur.sys.tracer != null && fp.vnode instanceof Port) {
            PortSubr.trace((Port) fp.vnode, Action.DUP, cur.pid, "fd", fd, "newfd", nfd);
        }
    }

    // ---- exit ----------------------------------------------------------------------------

    /**
     * exit(2): no later call of the process starts (EBADF); in the descriptor layer the
     * process's other threads inside calls are made to return first (exitlwps) and exit
     * waits for them; then closeall closes every descriptor, lowest number first. EBADF if
     * the process has exited already.
     */
    static void exit(Proc cur) throws PortException {
        PortSystem sys = cur.sys;
        boolean layer = sys.layer == Layer.DESCRIPTORS;
        Object me = sys.sched.kthread();
        List<KThread> others = new ArrayList<>();
        sys.fileLock.enter();
        try {
            if (cur.exited) {
                throw new PortException(Errno.EBADF);
            }
            cur.exited = true;
            List<Object> handles = new ArrayList<>();
            for (KThread k : cur.threads.values()) {
                if (k.inCall && k.handle() != me) {
                    others.add(k);
                    handles.add(k.handle());
                }
            }
            if (layer) {
                sys.sched.mustReturn(handles, null);                     // exitlwps (as closeandsetf)
            }
        } finally {
            sys.fileLock.exit();
        }
        if (layer) {
            KThread mine = cur.threads.get(me);
            int self = mine != null && mine.inCall ? 1 : 0;
            waitWhile(cur, true, () -> cur.lwpsInCall > self);
        }
        for (int fd : cur.openFds()) {
            try {
                closeandsetf(cur, fd, null, -1);
            } catch (PortException e) {
                // closed meanwhile by a thread still in a call (the portfs layer): nothing left
            }
        }
    }

    // ---- uf_closing_cv and the exit wait -------------------------------------------------

    /**
     * Sleep (not interruptibly) while {@code cond} holds, read under the table lock: on
     * uf_closing_cv, or for {@code exit} on the cv a thread leaving its call signals
     * (exitlwps' wait for the process's other threads).
     */
    private static void waitWhile(Proc cur, boolean exit, BooleanSupplier cond) {
        PortSystem sys = cur.sys;
        KCondVar cv = exit ? cur.lwpExitCv : cur.ufClosingCv;
        cur.ufLock.enter();
        try {
            while (true) {
                sys.fileLock.enter();
                try {
                    if (!cond.getAsBoolean()) {
                        return;
                    }
                    if (exit) {
                        cur.exitWaiters++;
                    } else {
                        cur.ufWaiters++;
                    }
                } finally {
                    sys.fileLock.exit();
                }
                cv.await(cur.ufLock);
                sys.fileLock.enter();
                try {
                    if (exit) {
                        cur.exitWaiters--;
                    } else {
                        cur.ufWaiters--;
                    }
                } finally {
                    sys.fileLock.exit();
                }
            }
        } finally {
            cur.ufLock.exit();
        }
    }

    private static void wake(Proc cur, KCondVar cv) {
        cur.ufLock.enter();
        cv.broadcast();
        cur.ufLock.exit();
    }
}
