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

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/*
 * PORT_SOURCE_FILE (illumos port_fop.c; port.c:177-191) on top of
 * java.nio.file.WatchService.
 *
 * A watch (portfop_t, here Portfop) is keyed by (pid, file_obj address) in its port's cache,
 * owns one PORT_ALLOC_CACHED slot, and is one-shot: it fires once with the events that
 * happened among those asked for, then stays cached and inactive until re-associated.
 * Re-association removes a queued event, takes the new mask and re-arms. Delivery is
 * owner-only (port_fop_callback: EACCES elsewhere). Exception events (FILE_DELETE,
 * FILE_RENAME_TO/FROM) are always delivered, in a fresh DEFAULT slot, if the watch was active
 * or had an undelivered event (which they replace), and they remove the watch.
 *
 * illumos intercepts the file's vnode operations (FEM), so it knows what was done. A
 * WatchService only says that an entry of a directory was created, deleted or modified.
 * So each watch registers the directory that holds the file (and a watched directory
 * itself), keeps the file's attributes as of its arming, and on any event for its name stats
 * the file and compares — the facility is specified as "what an application can find out by
 * stat'ing the file and comparing time stamps" (port_fop.c header comment), and that is what this does:
 *   mtime changed → FILE_MODIFIED; size shrank → FILE_TRUNC (and FILE_MODIFIED);
 *   ctime ("unix:ctime") or permissions changed → FILE_ATTRIB; atime changed → FILE_ACCESS;
 *   the name is gone → FILE_DELETE; the name now names another file → FILE_RENAME_TO.
 * A directory event that shows no change since the arming fires nothing (it may be one that
 * happened before the association and was reported late). Right after registering, the watch
 * stats again, so a change between the lookup and the registration is not lost.
 * At association the caller's file_obj times are compared with the file's, as
 * port_check_timestamp does, and a difference fires at once.
 *
 * What WatchService cannot give (documented, not emulated):
 * - FILE_ACCESS for reads: the JDK does not watch accesses (no IN_ACCESS), so a read fires
 *   nothing; FILE_ACCESS is reported only if atime changed and something else woke the watch
 *   (or at association, from the file_obj times).
 * - FILE_RENAME_FROM: a rename away looks like a delete (ENTRY_DELETE); it is FILE_DELETE.
 * - UNMOUNTED, MOUNTEDOVER: never reported.
 * - A change that its attributes do not show is not reported: a rewrite that keeps the size
 *   within the file system's timestamp resolution (1-2 s on some), or an attribute change on a
 *   file system without ctime other than permissions.
 * - Latency: Linux (inotify) is immediate; where the JDK polls (macOS and others) a change is
 *   seen only at the next poll, seconds later, and several changes coalesce.
 * - Hard links: a watch follows its name, not the vnode; a change made through another name
 *   of the same file is seen only when the directories' events reach this name.
 * - File systems without a WatchService (e.g. zip file systems) are ENOTSUP, as illumos'
 *   file systems without vnode events are.
 * Real-thread runtime only (the watcher thread is outside the deterministic scheduler):
 * ENOTSUP on the deterministic one, after the argument checks.
 */

/** PORT_SOURCE_FILE: port_associate_fop / port_dissociate_fop and their callbacks (port_fop.c). */
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

    /** What a stat shows of a file: the baseline a watch compares with. */
    private record Stat(Object fileKey, boolean dir, long size, FileTime atime, FileTime mtime, FileTime ctime,
                        Object perms) {
    }

    /** The (pid, object) key of a watch. */
    private record FopKey(int pid, long object) {
    }

    /** portfop_cache_t: the watches of one port. */
    static final class PortfopCache {
        final Port pp;
        final SleepLock pfcLock;
        final Map<FopKey, Portfop> pfcHash = new LinkedHashMap<>();

        PortfopCache(Port pp) {
            this.pp = pp;
            this.pfcLock = new SleepLock(pp.sys.sched, "pfc_lock#" + pp.id);
        }
    }

    /** portfop_t: one watch. */
    static final class Portfop {
        final PortfopCache pfcp;
        final Proc owner;
        final long object;
        final Path path;
        final boolean follow;
        final Kevent pfopPev;
        int pfopEvents;
        /** PORT_FOP_ACTIVE; guarded by pfc_lock. */
        boolean active;
        /** Still cached; guarded by pfc_lock. */
        boolean cached = true;
        /** Attributes when the watch was last armed. */
        Stat base;

        Portfop(PortfopCache pfcp, Proc owner, long object, Path path, boolean follow, Kevent slot) {
            this.pfcp = pfcp;
            this.owner = owner;
            this.object = object;
            this.path = path;
            this.follow = follow;
            this.pfopPev = slot;
        }
    }

    /** Per-system: the caches, the WatchService and its thread, and the watched directories. */
    static final class State {
        final Map<Port, PortfopCache> caches = new ConcurrentHashMap<>();
        private final Object lock = new Object();
        /** One WatchService (and watcher thread) per file system. Guarded by lock. */
        private final Map<FileSystem, WatchService> services = new HashMap<>();
        /** Directory → its key and the watches interested in it. Guarded by lock. */
        private final Map<Path, Dir> dirs = new HashMap<>();

        static final class Dir {
            final WatchKey key;
            final List<Portfop> watches = new ArrayList<>();

            Dir(WatchKey key) {
                this.key = key;
            }
        }

        /** Watch {@code dir} for {@code pfop}. False if its file system has no WatchService. */
        boolean register(Path dir, Portfop pfop) {
            synchronized (lock) {
                Dir d = dirs.get(dir);
                if (d == null || !d.key.isValid()) {
                    try {
                        WatchService ws = service(dir);
                        WatchKey key = dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE,
                                StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
                        Dir nd = new Dir(key);
                        if (d != null) {
                            nd.watches.addAll(d.watches);
                        }
                        d = nd;
                        dirs.put(dir, d);
                    } catch (IOException | UnsupportedOperationException | ClosedWatchServiceException e) {
                        return false;
                    }
                }
                if (!d.watches.contains(pfop)) {
                    d.watches.add(pfop);
                }
                return true;
            }
        }

        void unregister(Portfop pfop) {
            synchronized (lock) {
                for (Path dir : List.copyOf(dirs.keySet())) {
                    Dir d = dirs.get(dir);
                    if (d.watches.remove(pfop) && d.watches.isEmpty()) {
                        d.key.cancel();
                        dirs.remove(dir);
                    }
                }
            }
        }

        private WatchService service(Path dir) throws IOException {
            WatchService ws = services.get(dir.getFileSystem());
            if (ws == null) {
                WatchService nws = dir.getFileSystem().newWatchService();
                services.put(dir.getFileSystem(), nws);
                Thread t = new Thread(() -> run(nws), "eventports-filewatch");
                t.setDaemon(true);
                t.start();
                ws = nws;
            }
            return ws;
        }

        /** The watcher thread: each event of a watched directory re-examines the watches of that name. */
        private void run(WatchService ws) {
            try {
                for (;;) {
                    WatchKey key = ws.take();
                    Path dir = (Path) key.watchable();
                    List<Portfop> affected = new ArrayList<>();
                    boolean overflow = false;
                    List<Path> names = new ArrayList<>();
                    for (WatchEvent<?> ev : key.pollEvents()) {
                        if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                            overflow = true;
                        } else {
                            names.add(dir.resolve((Path) ev.context()));
                        }
                    }
                    boolean valid = key.reset();
                    synchronized (lock) {
                        Dir d = dirs.get(dir);
                        if (d != null) {
                            for (Portfop w : d.watches) {
                                // a watched directory hears about its entries; a file, about its name
                                if (overflow || !valid || names.contains(w.path) || w.path.equals(dir)) {
                                    affected.add(w);
                                }
                            }
                        }
                    }
                    for (Portfop w : affected) {
                        portFopSendevent(w);
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // the system is going away
            }
        }

        void shutdown() {
            synchronized (lock) {
                for (WatchService ws : services.values()) {
                    try {
                        ws.close();
                    } catch (IOException e) {
                        // closing is best effort
                    }
                }
                services.clear();
                dirs.clear();
            }
        }
    }

    private static State state(PortSystem sys) {
        return sys.sourceState(State.class, s -> new State());
    }

    /** Stop the system's watcher threads (tests). */
    public static void shutdown(PortSystem sys) {
        State st = sys.sourceStateIfAny(State.class);
        if (st != null) {
            st.shutdown();
        }
    }

    /**
     * port_associate_fop (port_fop.c): EINVAL bad events; EFAULT the object is not a file_obj;
     * ENOENT/EACCES/EINVAL from the lookup; ENOTSUP no WatchService for the file system (or the
     * deterministic runtime); EAGAIN the port's event limit.
     */
    public static int portAssociateFop(Proc cur, Port pp, int source, long object, int events, Object user) {
        if ((events & ~FILE_EVENTS_MASK) != 0) {
            return Errno.EINVAL.code;
        }
        FileObject fobj = FileObject.at(object);
        if (fobj == null) {
            return Errno.EFAULT.code;
        }
        if (!(pp.sys.sched instanceof RealSched)) {
            return Errno.ENOTSUP.code;
        }
        boolean follow = (events & FILE_NOFOLLOW) == 0;
        events &= ~FILE_NOFOLLOW;
        LinkOption[] opts = follow ? new LinkOption[0] : new LinkOption[]{LinkOption.NOFOLLOW_LINKS};
        Path path;
        Stat now;
        try {
            String name = fobj.name;
            if (name == null) {
                return Errno.EFAULT.code;
            }
            Path p = Paths.get(name).toAbsolutePath().normalize();
            path = follow ? p.toRealPath() : p;
            now = stat(path, opts);
        } catch (InvalidPathException e) {
            return Errno.EINVAL.code;
        } catch (NoSuchFileException e) {
            return Errno.ENOENT.code;
        } catch (AccessDeniedException | SecurityException e) {
            return Errno.EACCES.code;
        } catch (IOException e) {
            return Errno.ENOENT.code;
        }
        State st = state(pp.sys);
        PortfopCache pfcp = st.caches.computeIfAbsent(pp, k -> {
            // the FILE source is associated with the port once and never dissociated
            PortfopCache c = new PortfopCache(pp);
            PortSubr.portAssociateKsource(pp, Ports.PORT_SOURCE_FILE, FileWatchSource::portCloseFop, c);
            return c;
        });
        Portfop pfp;
        pfcp.pfcLock.enter();
        try {
            FopKey key = new FopKey(cur.pid, object);
            pfp = pfcp.pfcHash.get(key);
            if (pfp != null && (!pfp.path.equals(path) || !Objects.equals(pfp.base.fileKey(), now.fileKey()))) {
                portRemoveFop(pfp);                       // another file under this object now
                pfp = null;
            }
            boolean reassoc = pfp != null;
            if (pfp == null) {
                Kevent pkevp;
                try {
                    pkevp = PortSubr.portAllocEventLocal(cur, pp, source, Ports.PORT_ALLOC_CACHED);
                } catch (PortException e) {
                    return e.errno().code;
                }
                pfp = new Portfop(pfcp, cur, object, path, follow, pkevp);
                PortSubr.portInitEvent(pkevp, object, user, FileWatchSource::portFopCallback, pfp);
                Path dir = path.getParent();
                boolean ok = (dir == null || st.register(dir, pfp)) && (!now.dir() || st.register(path, pfp));
                if (!ok) {
                    st.unregister(pfp);
                    PortSubr.portFreeEventLocal(pkevp, 0);
                    return Errno.ENOTSUP.code;
                }
                pfcp.pfcHash.put(key, pfp);
            } else {
                // re-association: a queued event goes, the new cookie and mask take over
                PortSubr.portRemoveDoneEvent(pfp.pfopPev);
                pfp.pfopPev.portkevUser = user;
            }
            pfp.pfopEvents = events;
            pfp.pfopPev.portkevEvents = 0;
            pfp.base = now;
            pfp.active = true;
            if (pp.sys.tracer != null) {
                PortSubr.trace(pp, "port_associate_fop", cur.pid, "object", object, "events", events,
                        "kev", pfp.pfopPev.id, "reassoc", reassoc);
            }
            portCheckTimestamp(pfp, fobj, now);
            if (pfp.active) {
                // a change between the lookup and the watch's registration made no event: look again
                portFopSendevent(pfp);
            }
        } finally {
            pfcp.pfcLock.exit();
        }
        return 0;
    }

    /**
     * port_check_timestamp (port_fop.c): times given in the file_obj that differ from the file's fire
     * the watch at once with the matching events it asked for. pfc_lock held.
     */
    private static void portCheckTimestamp(Portfop pfp, FileObject fobj, Stat now) {
        int ev = 0;
        if ((pfp.pfopEvents & FILE_ACCESS) != 0 && fobj.atime != null && !fobj.atime.equals(now.atime())) {
            ev |= FILE_ACCESS;
        }
        if ((pfp.pfopEvents & FILE_MODIFIED) != 0 && fobj.mtime != null && !fobj.mtime.equals(now.mtime())) {
            ev |= FILE_MODIFIED;
        }
        if ((pfp.pfopEvents & FILE_ATTRIB) != 0 && fobj.ctime != null && !fobj.ctime.equals(now.ctime())) {
            ev |= FILE_ATTRIB;
        }
        if (ev != 0) {
            fire(pfp, ev);
        }
    }

    /** Deactivate the watch and queue its event with {@code ev}. pfc_lock held. */
    private static void fire(Portfop pfp, int ev) {
        pfp.active = false;
        pfp.pfopPev.portkevEvents |= ev;
        Port pp = pfp.pfcp.pp;
        if (pp.sys.tracer != null) {
            PortSubr.trace(pp, "port_fop_sendevent", pfp.owner.pid, "object", pfp.object, "events", ev,
                    "kev", pfp.pfopPev.id);
        }
        PortSubr.portSendEvent(pfp.pfopPev);
    }

    /**
     * port_fop_sendevent (port_fop.c), from the watcher thread: something happened to the watch's
     * name. Stat and compare: an exception if the name is gone or names another file, else the
     * changes the watch asked for, if it is active.
     */
    static void portFopSendevent(Portfop pfp) {
        LinkOption[] opts = pfp.follow ? new LinkOption[0] : new LinkOption[]{LinkOption.NOFOLLOW_LINKS};
        Stat now;
        try {
            now = stat(pfp.path, opts);
        } catch (IOException | SecurityException e) {
            now = null;
        }
        PortfopCache pfcp = pfp.pfcp;
        boolean locked = pfcp.pfcLock.held();
        if (!locked) {
            pfcp.pfcLock.enter();
        }
        try {
            if (!pfp.cached) {
                return;
            }
            if (now == null) {
                portFopExcep(pfp, FILE_DELETE);
                return;
            }
            if (!Objects.equals(now.fileKey(), pfp.base.fileKey())) {
                portFopExcep(pfp, FILE_RENAME_TO);
                return;
            }
            if (!pfp.active) {
                return;
            }
            int ev = changes(pfp.base, now) & pfp.pfopEvents;
            if (ev != 0) {
                fire(pfp, ev);
            }
        } finally {
            if (!locked) {
                pfcp.pfcLock.exit();
            }
        }
    }

    /** The event bits a change from {@code a} to {@code b} shows. */
    private static int changes(Stat a, Stat b) {
        int ev = 0;
        if (!Objects.equals(a.mtime(), b.mtime()) || a.size() != b.size()) {
            ev |= FILE_MODIFIED;
        }
        if (b.size() < a.size()) {
            ev |= FILE_TRUNC;
        }
        if (!Objects.equals(a.ctime(), b.ctime()) || !Objects.equals(a.perms(), b.perms())) {
            ev |= FILE_ATTRIB;
        }
        if (!Objects.equals(a.atime(), b.atime())) {
            ev |= FILE_ACCESS;
        }
        return ev;
    }

    /**
     * port_fop_excep (port_fop.c): the file's identity changed. If the watch was active or had an
     * undelivered event (taken back), the owner gets the exception event in a fresh DEFAULT
     * slot (none if the port is full, as in illumos); the watch is removed. pfc_lock held.
     */
    private static void portFopExcep(Portfop pfp, int op) {
        Port pp = pfp.pfcp.pp;
        boolean removed = PortSubr.portRemoveDoneEvent(pfp.pfopPev) == 1;
        boolean send = pfp.active || removed;
        pfp.active = false;
        if (pp.sys.tracer != null) {
            PortSubr.trace(pp, "port_fop_excep", pfp.owner.pid, "object", pfp.object, "events", op, "send", send);
        }
        if (send) {
            try {
                Kevent pkevp = PortSubr.portAllocEventLocal(pfp.owner, pp, Ports.PORT_SOURCE_FILE,
                        Ports.PORT_ALLOC_DEFAULT);
                PortSubr.portInitEvent(pkevp, pfp.object, pfp.pfopPev.portkevUser, FileWatchSource::portFopCallback,
                        null);
                pkevp.portkevEvents = op;
                PortSubr.portSendEvent(pkevp);
            } catch (PortException e) {
                // no slot for the exception event: illumos drops it too
            }
        }
        portPcacheRemoveFop(pfp);
    }

    /**
     * port_fop_callback (port_fop.c): owner only (EACCES elsewhere); the delivered events are those
     * accumulated since the watch was armed, and the slot starts empty again.
     */
    static int portFopCallback(Object arg, int[] events, int pid, int flag, Kevent kev, Proc curproc) {
        if (flag == Ports.PORT_CALLBACK_DEFAULT) {
            if (curproc.pid != pid) {
                return Errno.EACCES.code;
            }
            events[0] = kev.portkevEvents;
            kev.portkevEvents = 0;
        }
        return 0;
    }

    /**
     * port_dissociate_fop (port_fop.c): EINVAL if the port never had a FILE watch; ENOENT if this
     * process has none for the object; else the watch goes, and the result is 0 if it was
     * active or had an undelivered event, ENOENT otherwise.
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
            boolean active = portRemoveFop(pfp);
            if (pp.sys.tracer != null) {
                PortSubr.trace(pp, "port_dissociate_fop", cur.pid, "object", object, "active", active);
            }
            return active ? 0 : Errno.ENOENT.code;
        } finally {
            pfcp.pfcLock.exit();
        }
    }

    /**
     * port_remove_fop (port_fop.c, cleanup): deactivate, take a queued event back, drop the watch and
     * its slot. True if it was active or its event was undelivered. pfc_lock held.
     */
    private static boolean portRemoveFop(Portfop pfp) {
        boolean active = pfp.active;
        pfp.active = false;
        if (PortSubr.portRemoveDoneEvent(pfp.pfopPev) == 1) {
            active = true;
        }
        portPcacheRemoveFop(pfp);
        return active;
    }

    /** port_pcache_remove_fop: forget the watch and release its CACHED slot. pfc_lock held. */
    private static void portPcacheRemoveFop(Portfop pfp) {
        pfp.cached = false;
        pfp.pfcp.pfcHash.remove(new FopKey(pfp.owner.pid, pfp.object));
        state(pfp.pfcp.pp.sys).unregister(pfp);
        PortSubr.portFreeEventLocal(pfp.pfopPev, 0);
    }

    /**
     * port_close_fop (port_fop.c): the closing process's watches go; at the last close every watch
     * goes (illumos waits for the ones being removed concurrently) and the cache with them.
     */
    static void portCloseFop(Object arg, int portFd, int pid, int lastclose) {
        PortfopCache pfcp = (PortfopCache) arg;
        pfcp.pfcLock.enter();
        try {
            int n = 0;
            for (Portfop pfp : new ArrayList<>(pfcp.pfcHash.values())) {
                if (pfp.owner.pid == pid || lastclose == 1) {
                    portRemoveFop(pfp);
                    n++;
                }
            }
            if (pfcp.pp.sys.tracer != null) {
                PortSubr.trace(pfcp.pp, "port_close_fop", pid, "lastclose", lastclose, "removed", n);
            }
        } finally {
            pfcp.pfcLock.exit();
        }
        if (lastclose == 1) {
            state(pfcp.pp.sys).caches.remove(pfcp.pp);
        }
    }

    private static Stat stat(Path path, LinkOption[] opts) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, opts);
        Object perms;
        try {
            perms = Files.getAttribute(path, "posix:permissions", opts);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            perms = null;
        }
        return new Stat(a.fileKey(), a.isDirectory(), a.size(), a.lastAccessTime(), a.lastModifiedTime(),
                ctime(path, a, opts), perms);
    }

    /** The change time where the file system has one ("unix:ctime"), else the modification time. */
    static FileTime ctime(Path path, BasicFileAttributes a, LinkOption[] opts) {
        try {
            Object c = Files.getAttribute(path, "unix:ctime", opts);
            if (c instanceof FileTime) {
                return (FileTime) c;
            }
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            // no ctime on this file system
        }
        return a.lastModifiedTime();
    }
}
