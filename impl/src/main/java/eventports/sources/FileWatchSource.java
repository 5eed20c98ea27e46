package eventports.sources;

import eventports.kernel.Errno;
import eventports.kernel.Kevent;
import eventports.kernel.Port;
import eventports.kernel.PortException;
import eventports.kernel.PortSubr;
import eventports.kernel.PortSystem;
import eventports.kernel.Ports;
import eventports.kernel.Proc;
import eventports.sched.RealSched;
import eventports.trace.Action;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/*
 * PORT_SOURCE_FILE (illumos port_fop.c; port.c:177-191), for any file system behind the FopFs
 * seam: the simulated one (SimFs, deterministic) or the host's (WatchServiceFs).
 *
 * A watch (portfop_t, here Portfop) is keyed by (pid, file_obj address) in its port's cache
 * (portfop_cache_t) and sits on its vnode's list (portfop_vp_t, here FopVnode: v_fopdata),
 * active watches first. It owns one PORT_ALLOC_CACHED slot and is one-shot: the first
 * operation on the vnode that it asked for deactivates it, moves it to the tail of the list
 * and queues its event (port_fop_sendevent); it stays cached, inactive, until re-associated
 * (which takes a still-queued event back and re-activates it with the new events, but keeps
 * the first association's cookie and the bits the slot accumulated) or dissociated. Delivery is
 * owner-only (port_fop_callback: EACCES elsewhere) and hands over the bits accumulated since
 * the arming. At association the caller's file_obj times are compared with the file's
 * (port_check_timestamp): a difference fires at once.
 *
 * Which event for which vnode operation is port_fop.c's: port_fop maps the FEM hooks' FOP_*
 * bits to FILE_MODIFIED / FILE_ACCESS / FILE_ATTRIB / FILE_TRUNC (FOP_*_MASK of port_impl.h),
 * port_fop_vnevent the vnode events. Exception events (FILE_DELETE, FILE_RENAME_FROM,
 * FILE_RENAME_TO for the watched name; UNMOUNTED, MOUNTEDOVER for every watch) take the
 * watch off the vnode: if it was active, or its event was still queued (taken back), its owner
 * gets the exception in a fresh DEFAULT slot (port_fop_excep), and the watch leaves the cache.
 * A remove or rename reaches only the watches of that name (dvp and last component); the
 * vnode's other active watches — other hard links — get FILE_ATTRIB. As port_fop.c codes it,
 * the loop meant to drop the matching *inactive* watches after a remove or rename starts past
 * the end of the list and drops none (port_fop_sendevent): they stay cached, holding their
 * slot, until dissociated, re-associated or the port closes.
 *
 * port_dissociate: EINVAL if the port never had a FILE watch, ENOENT if this process has none
 * for the object, else the watch goes and the result is 0 if it was active or its event was
 * still queued, ENOENT otherwise (port_dissociate_fop).
 *
 * Not coded: the re-lookup after the FEM install (a file removed in between, EINVAL),
 * VFIFO's skipped timestamp check, symbolic links (FILE_NOFOLLOW is accepted; SimFs has no
 * links to follow), port_fop_maxpfps trimming of more than 20 watches on one vnode
 * (port_fop_trimpfplist: only a cache size limit).
 *
 * Locks, in order (the whole order: eventports.kernel's package note): the file system's own
 * lock (SimFs) → pfc_lock (per port cache) → pvp_mutex (per vnode) → portq_mutex. Both are
 * SleepLocks: port_remove_done_event sleeps in port_block under them, as in illumos.
 * port_fop_sendevent holds pvp_mutex across port_send_event and drops it before
 * port_fop_excep takes pfc_lock.
 */

/** PORT_SOURCE_FILE: port_associate_fop, port_dissociate_fop, their callbacks and port_fop's events (port_fop.c). */
public final class FileWatchSource {
    private FileWatchSource() {
    }

    // sys/port.h
    public static final int FILE_ACCESS = 0x00000001;
    public static final int FILE_MODIFIED = 0x00000002;
    public static final int FILE_ATTRIB = 0x00000004;
    public static final int FILE_TRUNC = 0x00100000;
    public static final int FILE_NOFOLLOW = 0x10000000;
    public static final int FILE_DELETE = 0x00000010;
    public static final int FILE_RENAME_TO = 0x00000020;
    public static final int FILE_RENAME_FROM = 0x00000040;
    public static final int UNMOUNTED = 0x20000000;
    public static final int MOUNTEDOVER = 0x40000000;
    public static final int FILE_EXCEPTION = UNMOUNTED | FILE_DELETE | FILE_RENAME_TO | FILE_RENAME_FROM | MOUNTEDOVER;
    static final int FILE_EVENTS_MASK = FILE_ACCESS | FILE_MODIFIED | FILE_ATTRIB | FILE_NOFOLLOW | FILE_TRUNC;

    // port_impl.h: the vnode operations the FEM hooks report
    static final int FOP_FILE_OPEN = 0x00000001;
    static final int FOP_FILE_READ = 0x00000002;
    static final int FOP_FILE_WRITE = 0x00000004;
    static final int FOP_FILE_MAP = 0x00000008;
    static final int FOP_FILE_IOCTL = 0x00000010;
    static final int FOP_FILE_CREATE = 0x00000020;
    static final int FOP_FILE_MKDIR = 0x00000040;
    static final int FOP_FILE_SYMLINK = 0x00000080;
    static final int FOP_FILE_LINK = 0x00000100;
    static final int FOP_FILE_RENAME = 0x00000200;
    static final int FOP_FILE_REMOVE = 0x00000400;
    static final int FOP_FILE_RMDIR = 0x00000800;
    static final int FOP_FILE_READDIR = 0x00001000;
    static final int FOP_FILE_RENAMESRC = 0x00002000;
    static final int FOP_FILE_RENAMEDST = 0x00004000;
    static final int FOP_FILE_REMOVEFILE = 0x00008000;
    static final int FOP_FILE_REMOVEDIR = 0x00010000;
    static final int FOP_FILE_SETSECATTR = 0x00020000;
    static final int FOP_FILE_SETATTR_ATIME = 0x00040000;
    static final int FOP_FILE_SETATTR_MTIME = 0x00080000;
    static final int FOP_FILE_SETATTR_CTIME = 0x00100000;
    static final int FOP_FILE_LINK_SRC = 0x00200000;
    static final int FOP_FILE_TRUNC = 0x00400000;
    static final int FOP_MODIFIED_MASK = FOP_FILE_WRITE | FOP_FILE_CREATE | FOP_FILE_REMOVE | FOP_FILE_LINK
            | FOP_FILE_RENAMESRC | FOP_FILE_RENAMEDST | FOP_FILE_MKDIR | FOP_FILE_RMDIR | FOP_FILE_SYMLINK
            | FOP_FILE_SETATTR_MTIME;
    static final int FOP_ACCESS_MASK = FOP_FILE_READ | FOP_FILE_READDIR | FOP_FILE_MAP | FOP_FILE_SETATTR_ATIME;
    static final int FOP_ATTRIB_MASK = FOP_FILE_WRITE | FOP_FILE_CREATE | FOP_FILE_REMOVE | FOP_FILE_LINK
            | FOP_FILE_RENAMESRC | FOP_FILE_RENAMEDST | FOP_FILE_MKDIR | FOP_FILE_RMDIR | FOP_FILE_SYMLINK
            | FOP_FILE_SETATTR_CTIME | FOP_FILE_LINK_SRC | FOP_FILE_SETSECATTR;
    static final int FOP_TRUNC_MASK = FOP_FILE_TRUNC | FOP_FILE_CREATE;

    /** vnevent_t: what a file system tells the watches of a vnode through VOP_VNEVENT. */
    enum Vnevent { VE_RENAME_SRC, VE_RENAME_DEST, VE_REMOVE, VE_RMDIR, VE_CREATE, VE_LINK, VE_RENAME_DEST_DIR,
        VE_MOUNTEDOVER, VE_TRUNCATE }

    // portfop_t flags (port_impl.h)
    private static final int PORT_FOP_ACTIVE = 0x1;
    private static final int PORT_FOP_REMOVING = 0x2;
    private static final int PORT_FOP_KEV_ONQ = 0x4;

    /** The (pid, object) key of a watch. */
    private record FopKey(int pid, long object) {
    }

    /** portfop_cache_t: the watches of one port. */
    static final class PortfopCache {
        final Port pp;
        final SleepLock pfcLock;
        /** pfc_hash; guarded by pfcLock. */
        final Map<FopKey, Portfop> pfcHash = new LinkedHashMap<>();
        /** pfc_lclosecv: the last close waits here for watches port_fop_excep still removes. */
        final eventports.sched.KCondVar pfcLclosecv;

        PortfopCache(Port pp) {
            this.pp = pp;
            this.pfcLock = new SleepLock(pp.sys.sched, "pfc_lock#" + pp.id);
            this.pfcLclosecv = pp.sys.sched.newCondVar("pfc_lclosecv#" + pp.id);
        }
    }

    /** portfop_vp_t (v_fopdata): the watches of one vnode, active ones first. */
    static final class FopVnode {
        final Object vp;
        final SleepLock pvpMutex;
        /** pvp_pfoplist; guarded by pvpMutex. */
        final LinkedList<Portfop> pvpPfoplist = new LinkedList<>();
        /** pvp_femp != NULL; guarded by pvpMutex. */
        boolean femInstalled;

        FopVnode(Object vp, PortSystem sys) {
            this.vp = vp;
            this.pvpMutex = new SleepLock(sys.sched, "pvp_mutex#" + vp);
        }
    }

    /** portfop_t: one watch. */
    static final class Portfop {
        final PortfopCache pfcp;
        final Proc owner;
        final long object;
        final FopVnode pvp;
        final Object dvp;
        final String cname;
        /** pfop_pev: the CACHED slot; null once the watch left the cache. */
        Kevent pfopPev;
        int pfopEvents;
        /** PORT_FOP_*: ACTIVE and REMOVING guarded by pvp_mutex, KEV_ONQ by pvp_mutex or pfc_lock. */
        int pfopFlags;
        /** pfop_callrid: the thread that (re)associated it last. */
        Thread pfopCallrid;

        Portfop(PortfopCache pfcp, Proc owner, long object, FopVnode pvp, Object dvp, String cname, Kevent pev) {
            this.pfcp = pfcp;
            this.owner = owner;
            this.object = object;
            this.pvp = pvp;
            this.dvp = dvp;
            this.cname = cname;
            this.pfopPev = pev;
        }

        boolean flag(int f) {
            return (pfopFlags & f) != 0;
        }
    }

    /** Per system: the file system, each port's cache and each watched vnode's list. */
    static final class State {
        final FopFs fs;
        final Map<Port, PortfopCache> caches = new ConcurrentHashMap<>();
        /** v_fopdata of every vnode ever watched (illumos frees it with the vnode). */
        final Map<Object, FopVnode> vnodes = new ConcurrentHashMap<>();

        State(FopFs fs) {
            this.fs = fs;
        }
    }

    /**
     * The system's FILE source. Its file system: a {@link SimFs} if one was made for the system
     * ({@link SimFs#of}), or on the deterministic runtime; else the host's through WatchService.
     */
    static State state(PortSystem sys) {
        return sys.sourceState(State.class, s -> {
            SimFs sim = s.sourceStateIfAny(SimFs.class);
            if (sim == null && !(s.sched instanceof RealSched)) {
                sim = SimFs.of(s);
            }
            return new State(sim != null ? sim : new WatchServiceFs(s));
        });
    }

    /** Stop the system's watcher threads (tests). */
    public static void shutdown(PortSystem sys) {
        State st = sys.sourceStateIfAny(State.class);
        if (st != null && st.fs instanceof WatchServiceFs) {
            ((WatchServiceFs) st.fs).shutdown();
        }
    }

    private static FopVnode fopdata(State st, PortSystem sys, Object vp) {
        return st.vnodes.computeIfAbsent(vp, v -> new FopVnode(v, sys));   // port_install_fopdata
    }

    // ---- port_associate / port_dissociate ------------------------------------------------

    /**
     * port_associate_fop (port_fop.c): EINVAL bad events; EFAULT the object is not a file_obj;
     * the lookup's errno (ENOENT, ENOTDIR, ...); ENOTSUP a file system without vnode events;
     * EAGAIN the port's event limit.
     */
    public static int portAssociateFop(Proc cur, Port pp, int source, long object, int events, Object user) {
        if ((events & ~FILE_EVENTS_MASK) != 0) {
            return Errno.EINVAL.code;
        }
        FileObject fobj = FileObject.at(object);
        if (fobj == null || fobj.name == null) {
            return Errno.EFAULT.code;
        }
        FileObject.Copy copy = fobj.copyin();                       // copyin: later changes do not count
        boolean follow = (events & FILE_NOFOLLOW) == 0;
        events &= ~FILE_NOFOLLOW;
        State st = state(pp.sys);
        FopFs.Lookup lk = st.fs.lookup(cur, copy.name(), follow);
        if (lk.errno() != 0) {
            return lk.errno();
        }
        if (!st.fs.vneventSupport(lk.vp())) {
            releaseLookup(st, fopdata(st, pp.sys, lk.vp()));
            return Errno.ENOTSUP.code;
        }
        st.fs.catchUp(lk.vp());
        PortfopCache pfcp = st.caches.computeIfAbsent(pp, k -> {
            // port_fop_associate_source: the FILE source joins the port once, never leaves
            PortfopCache c = new PortfopCache(pp);
            PortSubr.portAssociateKsource(pp, Ports.PORT_SOURCE_FILE, FileWatchSource::portCloseFop, c);
            return c;
        });
        FopVnode pvp = fopdata(st, pp.sys, lk.vp());
        Portfop pfp;
        pfcp.pfcLock.enter();
        try {
            FopKey key = new FopKey(cur.pid, object);
            pfp = pfcp.pfcHash.get(key);
            if (pfp != null && (pfp.pvp != pvp || !Objects.equals(pfp.dvp, lk.dvp()))) {
                portRemoveFop(pfp, true, cur);                    // another file under this object now
                pfp = null;
            }
            if (pfp == null) {
                int error = portPfpSetup(st, cur, pp, pvp, pfcp, object, events, user, lk);
                if (error != 0) {
                    releaseLookup(st, pvp);
                    return error;
                }
                pfp = pfcp.pfcHash.get(key);
            } else {
                // re-association: a queued event goes back and the new mask takes over; the
                // cookie and the bits the slot accumulated stay (port_fop.c sets pfop_events only)
                pvp.pvpMutex.enter();
                try {
                    if (PortSubr.portRemoveDoneEvent(pfp.pfopPev) == 1) {
                        pfp.pfopFlags &= ~PORT_FOP_KEV_ONQ;
                    }
                    pfp.pfopEvents = events;
                    if (!pfp.flag(PORT_FOP_ACTIVE)) {
                        pfp.pfopFlags |= PORT_FOP_ACTIVE;
                        if (!pfp.flag(PORT_FOP_REMOVING)) {
                            pvp.pvpPfoplist.remove(pfp);
                            pvp.pvpPfoplist.addFirst(pfp);
                        }
                    }
                    pfp.pfopCallrid = Thread.currentThread();
                    trace(pfp, Action.PORT_ASSOCIATE_FOP, cur.pid, "events", events, "reassoc", true);
                } finally {
                    pvp.pvpMutex.exit();
                }
            }
        } finally {
            pfcp.pfcLock.exit();
        }
        portCheckTimestamp(st, pfcp, pvp, lk.dvp(), pfp, copy, object, cur);
        return 0;
    }

    /** errout's VN_RELE: a vnode the lookup found but no watch kept may be forgotten by the file system. */
    private static void releaseLookup(State st, FopVnode pvp) {
        boolean unused;
        pvp.pvpMutex.enter();
        try {
            unused = !pvp.femInstalled;
        } finally {
            pvp.pvpMutex.exit();
        }
        if (unused) {
            st.fs.femUninstall(pvp.vp);
        }
    }

    /**
     * port_pfp_setup (port_fop.c): a new watch with its CACHED slot, in the cache and at the head
     * of the vnode's list (installing the FEM hooks for the vnode's first watch). pfc_lock held.
     */
    private static int portPfpSetup(State st, Proc cur, Port pp, FopVnode pvp, PortfopCache pfcp, long object,
                                    int events, Object user, FopFs.Lookup lk) {
        Kevent pkevp;
        try {
            pkevp = PortSubr.portAllocEventLocal(cur, pp, Ports.PORT_SOURCE_FILE, Ports.PORT_ALLOC_CACHED);
        } catch (PortException e) {
            return e.errno().code;
        }
        Portfop pfp = new Portfop(pfcp, cur, object, pvp, lk.dvp(), lk.cname(), pkevp);
        pfp.pfopFlags |= PORT_FOP_ACTIVE;
        PortSubr.portInitEvent(pkevp, object, user, FileWatchSource::portFopCallback, pfp);
        pkevp.portkevEvents = 0;
        pfcp.pfcHash.put(new FopKey(cur.pid, object), pfp);
        pvp.pvpMutex.enter();
        try {
            if (!pvp.femInstalled) {
                int error = st.fs.femInstall(pvp.vp);
                if (error != 0) {
                    portPcacheRemoveFop(pfp);
                    return error;
                }
                pvp.femInstalled = true;
            }
            pfp.pfopEvents = events;
            pvp.pvpPfoplist.addFirst(pfp);                        // events can be delivered from here on
            pfp.pfopCallrid = Thread.currentThread();
            trace(pfp, Action.PORT_ASSOCIATE_FOP, cur.pid, "events", events, "reassoc", false);
        } finally {
            pvp.pvpMutex.exit();
        }
        return 0;
    }

    /**
     * port_check_timestamp (port_fop.c): times given in the file_obj (any non-zero) that differ
     * from the file's fire the watch at once with the matching events it asked for — if it is
     * still the watch this thread armed and still active.
     */
    private static void portCheckTimestamp(State st, PortfopCache pfcp, FopVnode pvp, Object dvp, Portfop pfp,
                                           FileObject.Copy fobj, long object, Proc cur) {
        if (fobj.atime() == null && fobj.mtime() == null && fobj.ctime() == null) {
            return;                                               // all 0: not compared
        }
        FopFs.Times vatt = st.fs.getattr(pvp.vp);
        if (vatt == null) {
            return;
        }
        pfcp.pfcLock.enter();
        try {
            Portfop tpfp = pfcp.pfcHash.get(new FopKey(cur.pid, object));
            if (tpfp != pfp || pfp.pvp != pvp || !Objects.equals(pfp.dvp, dvp)
                    || pfp.pfopCallrid != Thread.currentThread() || !pfp.flag(PORT_FOP_ACTIVE)) {
                return;                                           // delivered, removed or re-associated meanwhile
            }
            pvp.pvpMutex.enter();
            try {
                if (pfp.flag(PORT_FOP_ACTIVE) && !pfp.flag(PORT_FOP_REMOVING)) {
                    int events = 0;
                    if ((pfp.pfopEvents & FILE_ACCESS) != 0 && fobj.atime() != null
                            && !fobj.atime().equals(vatt.atime())) {
                        events |= FILE_ACCESS;
                    }
                    if ((pfp.pfopEvents & FILE_MODIFIED) != 0 && fobj.mtime() != null
                            && !fobj.mtime().equals(vatt.mtime())) {
                        events |= FILE_MODIFIED;
                    }
                    if ((pfp.pfopEvents & FILE_ATTRIB) != 0 && fobj.ctime() != null
                            && !fobj.ctime().equals(vatt.ctime())) {
                        events |= FILE_ATTRIB;
                    }
                    if (events != 0) {
                        trace(pfp, Action.PORT_CHECK_TIMESTAMP, pfp.owner.pid, "events", events);
                        fire(pfp, events);
                    }
                }
            } finally {
                pvp.pvpMutex.exit();
            }
        } finally {
            pfcp.pfcLock.exit();
        }
    }

    /** Deactivate, move to the tail (active watches stay in front), queue the event. pvp_mutex held. */
    private static void fire(Portfop pfp, int events) {
        pfp.pfopFlags &= ~PORT_FOP_ACTIVE;
        pfp.pvp.pvpPfoplist.remove(pfp);
        pfp.pvp.pvpPfoplist.addLast(pfp);
        pfp.pfopPev.portkevEvents |= events;
        PortSubr.portSendEvent(pfp.pfopPev);
        pfp.pfopFlags |= PORT_FOP_KEV_ONQ;
    }

    /**
     * port_dissociate_fop (port_fop.c): EINVAL if the port never had a FILE watch; ENOENT if
     * this process has none for the object; else the watch goes, and the result is 0 if it was
     * active or its event was still queued (taken back), ENOENT otherwise.
     */
    public static int portDissociateFop(Proc cur, Port pp, long object) {
        State st = pp.sys.sourceStateIfAny(State.class);
        PortfopCache pfcp = st == null ? null : st.caches.get(pp);
        if (pfcp == null) {
            return Errno.EINVAL.code;
        }
        pfcp.pfcLock.enter();
        try {
            Portfop pfp = pfcp.pfcHash.get(new FopKey(cur.pid, object));
            if (pfp == null) {
                return Errno.ENOENT.code;
            }
            Kevent pev = pfp.pfopPev;
            boolean active = portRemoveFop(pfp, true, cur);
            if (pp.sys.tracer != null) {
                PortSubr.trace(pp, Action.PORT_DISSOCIATE_FOP, cur.pid, "object", object, "kev", pev.id, "active", active);
            }
            return active ? 0 : Errno.ENOENT.code;
        } finally {
            pfcp.pfcLock.exit();
        }
    }

    /**
     * port_remove_fop (port_fop.c): deactivate the watch, take a queued event back, take it off
     * its vnode (the last one uninstalls the FEM hooks) and out of the cache. Returns whether it
     * was active (armed, or its event still queued). A watch that port_fop_excep is removing
     * (REMOVING) is only deactivated and its event taken back: port_fop_excep drops it.
     * With {@code cleanup} false only an active watch not being removed is touched. pfc_lock held.
     */
    private static boolean portRemoveFop(Portfop pfp, boolean cleanup, Proc cur) {
        FopVnode pvp = pfp.pvp;
        State st = state(pfp.pfcp.pp.sys);
        boolean tactive = false;
        boolean uninstall = false;
        pvp.pvpMutex.enter();
        try {
            if (!cleanup && (!pfp.flag(PORT_FOP_ACTIVE) || pfp.flag(PORT_FOP_REMOVING))) {
                return false;
            }
            if (pfp.flag(PORT_FOP_ACTIVE)) {
                pfp.pfopFlags &= ~PORT_FOP_ACTIVE;
                tactive = true;
            }
            if (!pfp.flag(PORT_FOP_REMOVING)) {
                if (!tactive && PortSubr.portRemoveDoneEvent(pfp.pfopPev) == 1) {
                    pfp.pfopFlags &= ~PORT_FOP_KEV_ONQ;
                    tactive = true;
                }
                trace(pfp, Action.PORT_REMOVE_FOP, cur.pid, "active", tactive, "removing", false);
                pvp.pvpPfoplist.remove(pfp);
                if (pvp.pvpPfoplist.isEmpty() && pvp.femInstalled) {   // port_fop_femuninstall
                    pvp.femInstalled = false;
                    uninstall = true;
                }
            }
        } finally {
            pvp.pvpMutex.exit();
        }
        if (pfp.flag(PORT_FOP_REMOVING)) {
            if (!tactive && PortSubr.portRemoveDoneEvent(pfp.pfopPev) == 1) {
                pfp.pfopFlags &= ~PORT_FOP_KEV_ONQ;
                tactive = true;
            }
            trace(pfp, Action.PORT_REMOVE_FOP, cur.pid, "active", tactive, "removing", true);
            return tactive;
        }
        if (uninstall) {
            st.fs.femUninstall(pvp.vp);
        }
        portPcacheRemoveFop(pfp);
        return tactive;
    }

    /**
     * port_pcache_remove_fop (port_fop.c): the watch leaves the cache; its CACHED slot, taken out of
     * the queue if it is there, is freed. pfc_lock held.
     */
    private static void portPcacheRemoveFop(Portfop pfp) {
        Kevent pkevp = pfp.pfopPev;
        pfp.pfopPev = null;
        if (pkevp != null) {
            PortSubr.portRemoveDoneEvent(pkevp);
            Port pp = pfp.pfcp.pp;
            if (pp.sys.tracer != null) {
                PortSubr.trace(pp, Action.PORT_PCACHE_REMOVE_FOP, pfp.owner.pid, "object", pfp.object, "kev", pkevp.id);
            }
            PortSubr.portFreeEventLocal(pkevp, 0);
        }
        pfp.pfcp.pfcHash.remove(new FopKey(pfp.owner.pid, pfp.object));
        if (pfp.pfcp.pfcHash.isEmpty()) {
            pfp.pfcp.pfcLock.signal(pfp.pfcp.pfcLclosecv);
        }
    }

    /**
     * port_fop_callback (port_fop.c): the owner only (EACCES elsewhere); the delivered events are
     * those accumulated since the watch was armed, and the slot starts empty again. An exception
     * event's slot has no watch any more (arg null).
     */
    static int portFopCallback(Object arg, int[] events, int pid, int flag, Kevent kev, Proc curproc) {
        if (flag == Ports.PORT_CALLBACK_DEFAULT) {
            Portfop pfp = (Portfop) arg;
            if (curproc.pid != pid) {
                Port pp = kev.port();
                if (pp != null && pp.sys.tracer != null) {
                    PortSubr.trace(pp, Action.PORT_FOP_CALLBACK, curproc.pid, "object", kev.portkevObject, "kev", kev.id,
                            "owner", pid, "error", Errno.EACCES.name());
                }
                return Errno.EACCES.code;
            }
            events[0] = kev.portkevEvents;
            kev.portkevEvents = 0;
            if (pfp != null) {
                pfp.pfopFlags &= ~PORT_FOP_KEV_ONQ;
            }
        }
        return 0;
    }

    /**
     * port_close_fop (port_fop.c): the closing process's watches go; at the last close every watch
     * goes with the cache, the closer waiting on pfc_lclosecv for those port_fop_excep is still
     * removing (it took them off their vnode, REMOVING, and has yet to get pfc_lock).
     */
    static void portCloseFop(Object arg, int portFd, int pid, int lastclose) {
        PortfopCache pfcp = (PortfopCache) arg;
        Proc cur = pfcp.pp.sys.proc(pid);
        pfcp.pfcLock.enter();
        try {
            int n = 0;
            for (Portfop pfp : new ArrayList<>(pfcp.pfcHash.values())) {
                if (pfp.owner.pid == pid || lastclose == 1) {
                    portRemoveFop(pfp, true, cur == null ? pfp.owner : cur);
                    n++;
                }
            }
            while (lastclose == 1 && !pfcp.pfcHash.isEmpty()) {
                pfcp.pfcLock.await(pfcp.pfcLclosecv);
            }
            if (pfcp.pp.sys.tracer != null) {
                PortSubr.trace(pfcp.pp, Action.PORT_CLOSE_FOP, pid, "lastclose", lastclose, "removed", n);
            }
        } finally {
            pfcp.pfcLock.exit();
        }
        if (lastclose == 1) {
            state(pfcp.pp.sys).caches.remove(pfcp.pp);
        }
    }

    // ---- what happens to a watched vnode (called by the file system) ---------------------

    /**
     * port_fop (port_fop.c), the FEM hooks: operation {@code op} (FOP_FILE_* bits) succeeded on
     * {@code vp}; map it to FILE_MODIFIED / FILE_ACCESS / FILE_ATTRIB / FILE_TRUNC and send.
     */
    static void portFop(PortSystem sys, Object vp, int op) {
        int event = 0;
        if ((op & FOP_MODIFIED_MASK) != 0) {
            event = FILE_MODIFIED;
        }
        if ((op & FOP_ACCESS_MASK) != 0) {
            event |= FILE_ACCESS;
        }
        if ((op & FOP_ATTRIB_MASK) != 0) {
            event |= FILE_ATTRIB;
        }
        if ((op & FOP_TRUNC_MASK) != 0) {
            event |= FILE_TRUNC;
        }
        if (event != 0) {
            portFopSendevent(sys, vp, event, null, null);
        }
    }

    /** port_fop_vnevent (port_fop.c): a vnode event on {@code vp} (dvp and name: the name it concerns). */
    static void portFopVnevent(PortSystem sys, Object vp, Vnevent vnevent, Object dvp, String name) {
        switch (vnevent) {
            case VE_RENAME_SRC: portFopSendevent(sys, vp, FILE_RENAME_FROM, dvp, name); break;
            case VE_RENAME_DEST: portFopSendevent(sys, vp, FILE_RENAME_TO, dvp, name); break;
            case VE_REMOVE:
            case VE_RMDIR: portFopSendevent(sys, vp, FILE_DELETE, dvp, name); break;
            case VE_CREATE: portFopSendevent(sys, vp, FILE_MODIFIED | FILE_ATTRIB | FILE_TRUNC, null, null); break;
            case VE_LINK: portFopSendevent(sys, vp, FILE_ATTRIB, null, null); break;
            case VE_RENAME_DEST_DIR: portFopSendevent(sys, vp, FILE_MODIFIED | FILE_ATTRIB, null, null); break;
            case VE_MOUNTEDOVER: portFopSendevent(sys, vp, MOUNTEDOVER, null, null); break;
            case VE_TRUNCATE: portFopSendevent(sys, vp, FILE_TRUNC, null, null); break;
            default: break;
        }
    }

    /** port_fop_unmount (port_fop.c), the FSEM hook: every watched vnode of the file system is gone. */
    static void portFopUnmount(PortSystem sys, List<?> watchedVnodes) {
        for (Object vp : watchedVnodes) {
            portFopSendevent(sys, vp, UNMOUNTED, null, null);
        }
    }

    /**
     * port_fop_sendevent (port_fop.c): send {@code events} to the watches of {@code vp}, oldest
     * association first. Exception events: the watches of the name ({@code dvp}, {@code cname};
     * every watch when either is null) are taken off the list and handed to port_fop_excep; the
     * vnode's other active watches see FILE_ATTRIB (hard links). Other events fire the active
     * watches that asked for them.
     */
    static void portFopSendevent(PortSystem sys, Object vp, int events, Object dvp, String cname) {
        State st = sys.sourceStateIfAny(State.class);
        FopVnode pvp = st == null ? null : st.vnodes.get(vp);
        if (pvp == null) {
            return;
        }
        List<Portfop> tmplist = new ArrayList<>();
        boolean exception = (events & FILE_EXCEPTION) != 0;
        boolean uninstall = false;
        pvp.pvpMutex.enter();
        try {
            if (pvp.pvpPfoplist.isEmpty()) {
                return;
            }
            boolean removeall = exception && (dvp == null || cname == null);
            if (!removeall) {
                // from the tail-most active watch towards the head: association order
                int firstActive = -1;
                for (int i = pvp.pvpPfoplist.size() - 1; i >= 0; i--) {
                    if (pvp.pvpPfoplist.get(i).flag(PORT_FOP_ACTIVE)) {
                        firstActive = i;
                        break;
                    }
                }
                List<Portfop> walk = new ArrayList<>();
                for (int i = firstActive; i >= 0; i--) {
                    walk.add(pvp.pvpPfoplist.get(i));
                }
                for (Portfop pfp : walk) {
                    int levents = events;
                    if (exception) {
                        if (pfp.dvp == null || (pfp.dvp.equals(dvp) && cname.equals(pfp.cname))) {
                            pvp.pvpPfoplist.remove(pfp);
                            tmplist.add(pfp);
                            pfp.pfopFlags |= PORT_FOP_REMOVING;
                            continue;
                        }
                        levents = FILE_ATTRIB;
                    }
                    if ((pfp.pfopEvents & levents) != 0) {
                        trace(pfp, Action.PORT_FOP_SENDEVENT, pfp.owner.pid, "events", levents & pfp.pfopEvents);
                        fire(pfp, levents & pfp.pfopEvents);
                    }
                }
                // port_fop.c then walks on from where that loop ended (past the head) to drop
                // the matching inactive watches: it drops none
            } else {
                tmplist.addAll(pvp.pvpPfoplist);
                pvp.pvpPfoplist.clear();
                for (Portfop pfp : tmplist) {
                    pfp.pfopFlags |= PORT_FOP_REMOVING;
                }
            }
            if (exception && pvp.pvpPfoplist.isEmpty() && pvp.femInstalled) {   // port_fop_femuninstall
                pvp.femInstalled = false;
                uninstall = true;
            }
        } finally {
            pvp.pvpMutex.exit();
        }
        if (uninstall) {
            st.fs.femUninstall(vp);
        }
        if (exception) {
            portFopExcep(tmplist, events);
        }
    }

    /**
     * port_fop_excep (port_fop.c): for each watch taken off its vnode by an exception: take its
     * queued event back; if it was active or had one, its owner gets the exception event in a
     * fresh DEFAULT slot (none if the port is full, as in illumos); then it leaves the cache.
     */
    private static void portFopExcep(List<Portfop> tmplist, int op) {
        for (Portfop pfp : tmplist) {
            PortfopCache pfcp = pfp.pfcp;
            Port pp = pfcp.pp;
            pfcp.pfcLock.enter();
            try {
                if (pfp.pfopPev == null) {
                    continue;                                     // the port's last close dropped it
                }
                boolean removed = false;
                if (pfp.flag(PORT_FOP_KEV_ONQ)) {
                    removed = PortSubr.portRemoveDoneEvent(pfp.pfopPev) == 1;
                }
                boolean send = pfp.flag(PORT_FOP_ACTIVE) || removed;
                trace(pfp, Action.PORT_FOP_EXCEP, pfp.owner.pid, "events", op, "send", send);
                if (send) {
                    pfp.pfopFlags &= ~PORT_FOP_ACTIVE;
                    try {
                        Kevent pkevp = PortSubr.portAllocEventLocal(pfp.owner, pp, Ports.PORT_SOURCE_FILE,
                                Ports.PORT_ALLOC_DEFAULT);
                        PortSubr.portInitEvent(pkevp, pfp.object, pfp.pfopPev.portkevUser,
                                FileWatchSource::portFopCallback, null);
                        pkevp.portkevEvents = op;
                        PortSubr.portSendEvent(pkevp);
                    } catch (PortException e) {
                        // no slot for the exception event: illumos drops it too
                    }
                }
                portPcacheRemoveFop(pfp);
            } finally {
                pfcp.pfcLock.exit();
            }
        }
    }

    /** A record about watch {@code pfp}: its object and slot, then {@code kv}. */
    private static void trace(Portfop pfp, Action action, int pid, Object... kv) {
        Port pp = pfp.pfcp.pp;
        if (pp.sys.tracer != null && pfp.pfopPev != null) {
            Object[] all = new Object[kv.length + 4];
            all[0] = "object";
            all[1] = pfp.object;
            all[2] = "kev";
            all[3] = pfp.pfopPev.id;
            System.arraycopy(kv, 0, all, 4, kv.length);
            PortSubr.trace(pp, action, pid, all);
        }
    }

    /** Watches currently cached for {@code pp} (for tests and tools). */
    public static int watches(Port pp) {
        State st = pp.sys.sourceStateIfAny(State.class);
        PortfopCache pfcp = st == null ? null : st.caches.get(pp);
        if (pfcp == null) {
            return 0;
        }
        pfcp.pfcLock.enter();
        try {
            return pfcp.pfcHash.size();
        } finally {
            pfcp.pfcLock.exit();
        }
    }
}
