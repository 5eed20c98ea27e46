package eventports.sources;

import eventports.kernel.Errno;
import eventports.kernel.PortException;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;

import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static eventports.sources.FileWatchSource.FOP_FILE_CREATE;
import static eventports.sources.FileWatchSource.FOP_FILE_LINK;
import static eventports.sources.FileWatchSource.FOP_FILE_MKDIR;
import static eventports.sources.FileWatchSource.FOP_FILE_READ;
import static eventports.sources.FileWatchSource.FOP_FILE_READDIR;
import static eventports.sources.FileWatchSource.FOP_FILE_REMOVE;
import static eventports.sources.FileWatchSource.FOP_FILE_RENAMESRC;
import static eventports.sources.FileWatchSource.FOP_FILE_RMDIR;
import static eventports.sources.FileWatchSource.FOP_FILE_SETATTR_ATIME;
import static eventports.sources.FileWatchSource.FOP_FILE_SETATTR_CTIME;
import static eventports.sources.FileWatchSource.FOP_FILE_SETATTR_MTIME;
import static eventports.sources.FileWatchSource.FOP_FILE_TRUNC;
import static eventports.sources.FileWatchSource.FOP_FILE_WRITE;
import static eventports.sources.FileWatchSource.Vnevent;

/*
 * A simulated file system for PORT_SOURCE_FILE on the deterministic runtime (or on real
 * threads, when made with SimFs.of before the first watch): directories and regular files
 * with hard links, the three times, and mounts. Its calls are the system calls a process
 * makes (the conformance ops file_create, file_write, ...), and they tell port_fop.c what
 * happened exactly where illumos' file systems do (zfs_vnops.c, vfs.c, port_fop.c's FEM
 * hooks):
 *   - the vnode events inside the operation, with the file system's lock held
 *     (vnevent_remove / _rmdir / _rename_src / _rename_dest / _rename_dest_dir / _create /
 *     _link / _mountedover), before the name changes, as zfs_remove and zfs_rename do;
 *   - the FEM hooks after it, on the vnode the VOP was called on (port_fop_write on the file,
 *     port_fop_create / _remove / _rename / _mkdir / _rmdir / _link on the directory,
 *     port_fop_setattr, port_fop_read, port_fop_readdir), with the lock released;
 *   - unmount: port_fop_unmount sends UNMOUNTED to every watched vnode of the file system, the
 *     most recently watched first (the file system's pvfs_pvplist, port_fop_pvfsadd).
 * What each operation does to the times: creating a file sets its three times and the
 * directory's mtime and ctime; write sets mtime and ctime; read (of a directory: readdir) sets
 * atime; setattr sets ctime and what its mask names (AT_SIZE: mtime, the truncation); remove,
 * rename and link set the directories' mtime and ctime and the file's ctime. The clock ticks
 * once per operation, so no two operations share a time (a real file system's coarse clock
 * can make them equal; then port_check_timestamp sees no change).
 *
 * Names are absolute paths (a relative one is taken from "/"); "." and ".." are not
 * interpreted (a component like any other). There are no symbolic links. A file system
 * mounted with vnevents off refuses watches (ENOTSUP), as illumos' file systems without
 * vnode event support do.
 *
 * The file system's lock is a SleepLock: a vnode event may sleep (port_fop_excep takes
 * pfc_lock and port_block), and the operation holds the lock meanwhile, as zfs holds its
 * directory entry locks. It ranks above every lock of the FILE source (FileWatchSource).
 */

/** A simulated file system behind PORT_SOURCE_FILE: its calls and what port_fop.c hears of them. */
public final class SimFs implements FopFs {
    // sys/vnode.h va_mask bits file_setattr takes
    public static final int AT_MODE = 0x00002;
    public static final int AT_UID = 0x00004;
    public static final int AT_GID = 0x00008;
    public static final int AT_SIZE = 0x00080;
    public static final int AT_ATIME = 0x00100;
    public static final int AT_MTIME = 0x00200;
    static final int AT_SETTABLE = AT_MODE | AT_UID | AT_GID | AT_SIZE | AT_ATIME | AT_MTIME;

    /** A mounted file system (vfs_t). */
    static final class Vfs {
        final int id;
        final boolean vnevents;
        final Inode root;
        /** The directory it is mounted on (null for the root file system). */
        final Inode covered;
        /** Every vnode of this file system (a watched one outlives its names). */
        final List<Inode> inodes = new ArrayList<>();
        /** pvfs_pvplist: its watched vnodes, the most recently watched first (port_fop_pvfsadd); pvfshash_mutex. */
        final java.util.LinkedList<Inode> watched = new java.util.LinkedList<>();

        Vfs(int id, boolean vnevents, Inode covered, SimFs fs) {
            this.id = id;
            this.vnevents = vnevents;
            this.covered = covered;
            this.root = fs.newInode(this, true, null);
        }
    }

    /** A vnode: a directory or a regular file. Guarded by the file system's lock. */
    static final class Inode {
        final long ino;
        final Vfs vfs;
        final boolean dir;
        /** Directory entries, in creation order; null for a file. */
        final Map<String, Inode> entries;
        /** The directory holding a directory (one name each); null for files and roots. */
        Inode parent;
        /** The file system mounted on this directory, or null. */
        Vfs mounted;
        long atime;
        long mtime;
        long ctime;
        int nlink = 1;

        Inode(long ino, Vfs vfs, boolean dir, long now) {
            this.ino = ino;
            this.vfs = vfs;
            this.dir = dir;
            this.entries = dir ? new LinkedHashMap<>() : null;
            this.atime = now;
            this.mtime = now;
            this.ctime = now;
        }

        @Override
        public String toString() {
            return "vnode#" + vfs.id + "/" + ino;
        }
    }

    private final PortSystem sys;
    private final SleepLock fsLock;
    /** pvfshash_mutex: guards each file system's list of watched vnodes; a leaf (taken under pvp_mutex). */
    private final eventports.sched.KMutex pvfshashMutex;
    private long clock = 1;
    private long nextIno = 1;
    private int nextVfs = 1;
    private final Vfs rootVfs;

    private SimFs(PortSystem sys) {
        this.sys = sys;
        this.fsLock = new SleepLock(sys.sched, "simfs");
        this.pvfshashMutex = sys.sched.newMutex("pvfshash_mutex");
        this.rootVfs = new Vfs(nextVfs++, true, null, this);
    }

    /** The system's simulated file system, made on first use; PORT_SOURCE_FILE watches it from then on. */
    public static SimFs of(PortSystem sys) {
        return sys.sourceState(SimFs.class, SimFs::new);
    }

    private Inode newInode(Vfs vfs, boolean dir, Inode parent) {
        Inode n = new Inode(nextIno++, vfs, dir, clock);
        n.parent = parent;
        vfs.inodes.add(n);
        return n;
    }

    private static FileTime time(long t) {
        return FileTime.from(t, TimeUnit.SECONDS);
    }

    // ---- names ---------------------------------------------------------------------------

    /** A resolved name: the directory holding the last component, and what it names (or null). */
    private record Where(Inode dir, String name, Inode node, int errno) {
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    /** A directory's entry, crossing into a file system mounted on it. */
    private static Inode enter(Inode n) {
        while (n != null && n.dir && n.mounted != null) {
            n = n.mounted.root;
        }
        return n;
    }

    /** Resolve {@code path}: its parent directory must exist; the last component may not. Lock held. */
    private Where where(String path) {
        List<String> cs = components(path);
        Inode d = enter(rootVfs.root);
        if (cs.isEmpty()) {
            return new Where(null, null, d, 0);
        }
        for (int i = 0; i < cs.size() - 1; i++) {
            Inode next = enter(d.entries.get(cs.get(i)));
            if (next == null) {
                return new Where(null, null, null, Errno.ENOENT.code);
            }
            if (!next.dir) {
                return new Where(null, null, null, Errno.ENOTDIR.code);
            }
            d = next;
        }
        String last = cs.get(cs.size() - 1);
        return new Where(d, last, enter(d.entries.get(last)), 0);
    }

    /** The name must exist. Lock held. */
    private Where existing(String path) throws PortException {
        Where w = resolved(path);
        if (w.node() == null) {
            throw new PortException(Errno.ENOENT);
        }
        return w;
    }

    // ---- FopFs: what port_fop.c asks ---------------------------------------------------

    @Override
    public Lookup lookup(Proc cur, String name, boolean follow) {
        fsLock.enter();
        try {
            Where w = where(name);
            if (w.errno() != 0) {
                return Lookup.failed(w.errno());
            }
            if (w.node() == null) {
                return Lookup.failed(Errno.ENOENT.code);
            }
            // a directory vnode on another file system (the root of a mount) is ignored
            Inode dvp = w.dir() != null && w.dir().vfs == w.node().vfs ? w.dir() : null;
            return new Lookup(w.node(), dvp, w.name(), 0);
        } finally {
            fsLock.exit();
        }
    }

    @Override
    public boolean vneventSupport(Object vp) {
        return ((Inode) vp).vfs.vnevents;
    }

    @Override
    public Times getattr(Object vp) {
        fsLock.enter();
        try {
            Inode n = (Inode) vp;
            return new Times(time(n.atime), time(n.mtime), time(n.ctime));
        } finally {
            fsLock.exit();
        }
    }

    @Override
    public int femInstall(Object vp) {
        // every operation reports to port_fop.c anyway; the list is for port_fop_unmount
        pvfshashMutex.enter();
        try {
            ((Inode) vp).vfs.watched.addFirst((Inode) vp);
            return 0;
        } finally {
            pvfshashMutex.exit();
        }
    }

    @Override
    public void femUninstall(Object vp) {
        pvfshashMutex.enter();
        try {
            ((Inode) vp).vfs.watched.remove((Inode) vp);
        } finally {
            pvfshashMutex.exit();
        }
    }

    /** stat(2) of the times (for a file_obj), or an errno. */
    public FileObject stat(String path, FileObject into) throws PortException {
        fsLock.enter();
        try {
            Inode n = existing(path).node();
            into.atime = time(n.atime);
            into.mtime = time(n.mtime);
            into.ctime = time(n.ctime);
            return into;
        } finally {
            fsLock.exit();
        }
    }

    // ---- the calls ---------------------------------------------------------------------

    /** The FEM hook an operation reports through after it: vnode {@code vp}, FOP_* bits {@code op}. */
    private record Hook(Inode vp, int op) {
    }

    /** An operation's body: under the file system's lock, vnode events included. */
    private interface Body {
        Hook run() throws PortException;
    }

    /** One call: {@code body} under the lock, then (lock released) the FEM hook it names, if any. */
    private void call(Body body) throws PortException {
        Hook h;
        fsLock.enter();
        try {
            h = body.run();
        } finally {
            fsLock.exit();
        }
        if (h != null) {
            FileWatchSource.portFop(sys, h.vp(), h.op());
        }
    }

    /** {@code path} resolved up to its last component (which may not exist). Lock held. */
    private Where resolved(String path) throws PortException {
        Where w = where(path);
        if (w.errno() != 0) {
            throw new PortException(Errno.of(w.errno()));
        }
        return w;
    }

    /**
     * creat(2): a new file (the directory's FEM hook port_fop_create sees its mtime change:
     * FOP_FILE_CREATE), or an existing file truncated (zfs_create: vnevent_create on it;
     * the directory does not change, so its hook reports nothing). EISDIR for a directory.
     */
    public void create(String path) throws PortException {
        call(() -> {
            Where w = resolved(path);
            if (w.dir() == null || w.node() != null && w.node().dir) {
                throw new PortException(Errno.EISDIR);
            }
            if (w.node() != null) {
                Inode f = w.node();
                f.mtime = f.ctime = ++clock;
                FileWatchSource.portFopVnevent(sys, f, Vnevent.VE_CREATE, null, null);
                return null;
            }
            Inode dir = w.dir();
            dir.entries.put(w.name(), newInode(dir.vfs, false, null));
            dir.mtime = dir.ctime = ++clock;
            return new Hook(dir, FOP_FILE_CREATE);
        });
    }

    /** write(2) of a file: mtime and ctime; port_fop_write (FOP_FILE_WRITE). EISDIR for a directory. */
    public void write(String path) throws PortException {
        call(() -> {
            Inode f = existing(path).node();
            if (f.dir) {
                throw new PortException(Errno.EISDIR);
            }
            f.mtime = f.ctime = ++clock;
            return new Hook(f, FOP_FILE_WRITE);
        });
    }

    /** read(2) of a file (port_fop_read) or getdents of a directory (port_fop_readdir): atime. */
    public void read(String path) throws PortException {
        call(() -> {
            Inode n = existing(path).node();
            n.atime = ++clock;
            return new Hook(n, n.dir ? FOP_FILE_READDIR : FOP_FILE_READ);
        });
    }

    /**
     * setattr (chmod, chown, truncate, utimes: the AT_* of {@code mask}): ctime, and mtime for
     * AT_SIZE or AT_MTIME, atime for AT_ATIME; port_fop_setattr reports FOP_FILE_TRUNC for AT_SIZE,
     * SETATTR_MTIME for AT_SIZE|AT_MTIME, SETATTR_ATIME for AT_ATIME and SETATTR_CTIME always.
     * EINVAL for an empty mask or other bits, EISDIR for AT_SIZE on a directory.
     */
    public void setattr(String path, int mask) throws PortException {
        if (mask == 0 || (mask & ~AT_SETTABLE) != 0) {
            throw new PortException(Errno.EINVAL);
        }
        call(() -> {
            Inode n = existing(path).node();
            if (n.dir && (mask & AT_SIZE) != 0) {
                throw new PortException(Errno.EISDIR);
            }
            int op = FOP_FILE_SETATTR_CTIME;
            long now = ++clock;
            n.ctime = now;
            if ((mask & (AT_SIZE | AT_MTIME)) != 0) {
                n.mtime = now;
                op |= FOP_FILE_SETATTR_MTIME;
            }
            if ((mask & AT_SIZE) != 0) {
                op |= FOP_FILE_TRUNC;
            }
            if ((mask & AT_ATIME) != 0) {
                n.atime = now;
                op |= FOP_FILE_SETATTR_ATIME;
            }
            return new Hook(n, op);
        });
    }

    /**
     * unlink(2) (zfs_remove): vnevent_remove on the file with the directory and name, then the
     * name goes; port_fop_remove on the directory (FOP_FILE_REMOVE). EPERM for a directory.
     */
    public void unlink(String path) throws PortException {
        call(() -> {
            Where w = existing(path);
            if (w.node().dir) {
                throw new PortException(Errno.EPERM);
            }
            Inode dir = w.dir();
            FileWatchSource.portFopVnevent(sys, w.node(), Vnevent.VE_REMOVE, dir, w.name());
            long now = ++clock;
            dir.entries.remove(w.name());
            w.node().nlink--;
            w.node().ctime = now;
            dir.mtime = dir.ctime = now;
            return new Hook(dir, FOP_FILE_REMOVE);
        });
    }

    /** mkdir(2): port_fop_mkdir on the parent (FOP_FILE_MKDIR). EEXIST if the name is taken. */
    public void mkdir(String path) throws PortException {
        call(() -> {
            Where w = resolved(path);
            if (w.node() != null) {
                throw new PortException(Errno.EEXIST);
            }
            Inode dir = w.dir();
            dir.entries.put(w.name(), newInode(dir.vfs, true, dir));
            dir.mtime = dir.ctime = ++clock;
            return new Hook(dir, FOP_FILE_MKDIR);
        });
    }

    /**
     * rmdir(2) (zfs_rmdir): vnevent_rmdir on the directory, then its name goes; port_fop_rmdir on
     * the parent (FOP_FILE_RMDIR). ENOTDIR for a file, EEXIST if not empty (zfs), EBUSY for the
     * root or a directory something is mounted on.
     */
    public void rmdir(String path) throws PortException {
        call(() -> {
            Where w = existing(path);
            Inode d = w.dir() == null ? null : w.dir().entries.get(w.name());
            if (d == null || d != w.node()) {
                throw new PortException(Errno.EBUSY);             // the root, or covered by a mount
            }
            if (!d.dir) {
                throw new PortException(Errno.ENOTDIR);
            }
            if (!d.entries.isEmpty()) {
                throw new PortException(Errno.EEXIST);
            }
            Inode dir = w.dir();
            FileWatchSource.portFopVnevent(sys, d, Vnevent.VE_RMDIR, dir, w.name());
            long now = ++clock;
            dir.entries.remove(w.name());
            d.nlink = 0;
            d.ctime = now;
            dir.mtime = dir.ctime = now;
            return new Hook(dir, FOP_FILE_RMDIR);
        });
    }

    /**
     * rename(2) (zfs_rename): renaming a name onto the same file does nothing; else
     * vnevent_rename_src on the file (with the source directory and name), vnevent_rename_dest
     * on a file the target name replaces, vnevent_rename_dest_dir on the target directory if it
     * is another one; the names change; port_fop_rename on the source directory
     * (FOP_FILE_RENAMESRC). ENOENT, EXDEV across file systems, EINVAL into its own subtree,
     * ENOTDIR / EISDIR / EEXIST for a directory over a file, a file over a directory, a
     * directory over a non-empty one, EBUSY for a mount point.
     */
    public void rename(String from, String to) throws PortException {
        call(() -> {
            Where s = existing(from);
            Where t = resolved(to);
            if (s.dir() == null || t.dir() == null || s.dir().entries.get(s.name()) != s.node()
                    || t.node() != null && t.dir().entries.get(t.name()) != t.node()) {
                throw new PortException(Errno.EBUSY);
            }
            Inode svp = s.node();
            Inode tvp = t.node();
            if (s.dir().vfs != t.dir().vfs) {
                throw new PortException(Errno.EXDEV);
            }
            for (Inode a = t.dir(); svp.dir && a != null; a = a.parent) {
                if (a == svp) {
                    throw new PortException(Errno.EINVAL);
                }
            }
            if (tvp == svp) {
                return null;                                      // POSIX: same file, nothing happens
            }
            if (tvp != null && svp.dir != tvp.dir) {
                throw new PortException(svp.dir ? Errno.ENOTDIR : Errno.EISDIR);
            }
            if (tvp != null && tvp.dir && !tvp.entries.isEmpty()) {
                throw new PortException(Errno.EEXIST);
            }
            Inode sdir = s.dir();
            Inode tdir = t.dir();
            FileWatchSource.portFopVnevent(sys, svp, Vnevent.VE_RENAME_SRC, sdir, s.name());
            if (tvp != null) {
                FileWatchSource.portFopVnevent(sys, tvp, Vnevent.VE_RENAME_DEST, tdir, t.name());
            }
            if (tdir != sdir) {
                FileWatchSource.portFopVnevent(sys, tdir, Vnevent.VE_RENAME_DEST_DIR, null, null);
            }
            long now = ++clock;
            sdir.entries.remove(s.name());
            tdir.entries.put(t.name(), svp);
            if (svp.dir) {
                svp.parent = tdir;
            }
            svp.ctime = now;
            if (tvp != null) {
                tvp.nlink--;
                tvp.ctime = now;
            }
            sdir.mtime = sdir.ctime = now;
            tdir.mtime = tdir.ctime = now;
            return new Hook(sdir, FOP_FILE_RENAMESRC);
        });
    }

    /**
     * link(2) (zfs_link): a new name for a file; vnevent_link on the file (FILE_ATTRIB), then
     * port_fop_link on the target directory (FOP_FILE_LINK). EPERM for a directory, EEXIST if the
     * name is taken, EXDEV across file systems.
     */
    public void link(String from, String to) throws PortException {
        call(() -> {
            Inode svp = existing(from).node();
            Where t = resolved(to);
            if (svp.dir) {
                throw new PortException(Errno.EPERM);
            }
            if (t.node() != null) {
                throw new PortException(Errno.EEXIST);
            }
            Inode tdir = t.dir();
            if (tdir.vfs != svp.vfs) {
                throw new PortException(Errno.EXDEV);
            }
            long now = ++clock;
            tdir.entries.put(t.name(), svp);
            svp.nlink++;
            svp.ctime = now;
            tdir.mtime = tdir.ctime = now;
            FileWatchSource.portFopVnevent(sys, svp, Vnevent.VE_LINK, null, null);
            return new Hook(tdir, FOP_FILE_LINK);
        });
    }

    /**
     * mount(2) of a new, empty file system on directory {@code path} (vfs.c domount:
     * vnevent_mountedover on the covered directory: MOUNTEDOVER). {@code vnevents} false: a file
     * system without vnode event support (watches on it are ENOTSUP). ENOTDIR, EBUSY for the
     * root of a file system (something is mounted there already, or "/").
     */
    public void mount(String path, boolean vnevents) throws PortException {
        call(() -> {
            Inode d = existing(path).node();
            if (!d.dir) {
                throw new PortException(Errno.ENOTDIR);
            }
            if (d.mounted != null || d.vfs.root == d) {
                throw new PortException(Errno.EBUSY);     // domount: a root (VROOT) without MS_OVERLAY
            }
            d.mounted = new Vfs(nextVfs++, vnevents, d, this);
            d.mounted.root.mtime = d.mounted.root.atime = d.mounted.root.ctime = ++clock;
            FileWatchSource.portFopVnevent(sys, d, Vnevent.VE_MOUNTEDOVER, null, null);
            return null;
        });
    }

    /**
     * umount(2) of the file system mounted on {@code path}: port_fop_unmount sends UNMOUNTED to
     * every watched vnode of it, then the covered directory is visible again. EINVAL if
     * {@code path} is not a mount point, EBUSY if something is mounted inside.
     */
    public void unmount(String path) throws PortException {
        call(() -> {
            Inode root = existing(path).node();
            Vfs vfs = root.vfs;
            if (vfs.root != root || vfs.covered == null) {
                throw new PortException(Errno.EINVAL);
            }
            for (Inode n : vfs.inodes) {
                if (n.mounted != null) {
                    throw new PortException(Errno.EBUSY);
                }
            }
            List<Inode> watched;
            pvfshashMutex.enter();
            try {
                watched = new ArrayList<>(vfs.watched);
            } finally {
                pvfshashMutex.exit();
            }
            FileWatchSource.portFopUnmount(sys, watched);
            vfs.covered.mounted = null;
            return null;
        });
    }
}
