package eventports.sources;

import eventports.kernel.Errno;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;

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
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static eventports.sources.FileWatchSource.FILE_ACCESS;
import static eventports.sources.FileWatchSource.FILE_ATTRIB;
import static eventports.sources.FileWatchSource.FILE_DELETE;
import static eventports.sources.FileWatchSource.FILE_MODIFIED;
import static eventports.sources.FileWatchSource.FILE_RENAME_TO;
import static eventports.sources.FileWatchSource.FILE_TRUNC;

/*
 * The host's file system behind PORT_SOURCE_FILE, seen through java.nio.file.WatchService
 * (real threads only: the watcher thread is outside any deterministic scheduler).
 *
 * illumos intercepts the vnode operations (FEM), so it knows what was done; a WatchService
 * only says that an entry of a directory was created, deleted or modified. So a watched name
 * is the "vnode" here (a watch follows its name, not the file), each watched name has its
 * directory registered (and a watched directory itself), and the file system keeps the name's
 * attributes as last seen: on any event for the name it stats it and tells port_fop.c what
 * the difference shows (port_fop_sendevent, FileWatchSource) — the facility is specified as
 * "what an application can find out by stat'ing the file and comparing time stamps"
 * (port_fop.c's header comment):
 *   mtime or size changed → FILE_MODIFIED; size shrank → FILE_TRUNC;
 *   ctime ("unix:ctime") or permissions changed → FILE_ATTRIB; atime changed → FILE_ACCESS;
 *   the name is gone → FILE_DELETE; the name now names another file → FILE_RENAME_TO.
 * Before a watch becomes active, the changes not yet reported go to the watches that were
 * active when they happened (catchUp), so a late WatchService event is neither lost nor
 * given to a watch that did not exist yet.
 *
 * What WatchService cannot give (documented, not emulated):
 * - FILE_ACCESS for reads: the JDK does not watch accesses, so a read fires nothing;
 *   FILE_ACCESS is reported only if atime changed and something else woke the name.
 * - FILE_RENAME_FROM: a rename away looks like a delete (ENTRY_DELETE); it is FILE_DELETE.
 * - UNMOUNTED, MOUNTEDOVER: never reported.
 * - A change its attributes do not show: a rewrite that keeps the size within the file
 *   system's timestamp resolution, an attribute change without ctime other than permissions.
 * - Latency: Linux (inotify) is immediate; where the JDK polls (macOS and others) a change is
 *   seen at the next poll, seconds later, and several changes coalesce.
 * - Hard links: another name of the same file is another vnode here.
 * - File systems without a WatchService (zip file systems) are ENOTSUP, as illumos' file
 *   systems without vnode events are.
 */

/** PORT_SOURCE_FILE's file system on real threads: the host's, through WatchService. */
final class WatchServiceFs implements FopFs {
    /** What a stat shows of a name: what the next one is compared with. */
    private record Stat(Object fileKey, boolean dir, long size, FileTime atime, FileTime mtime, FileTime ctime,
                        Object perms) {
    }

    private final PortSystem sys;
    private final Object lock = new Object();
    /** One WatchService (and watcher thread) per file system. Guarded by lock. */
    private final Map<FileSystem, WatchService> services = new HashMap<>();
    /** Registered directory → its key and the watched names it reports on. Guarded by lock. */
    private final Map<Path, Dir> dirs = new HashMap<>();
    /** Watched name → its attributes as last reported. Guarded by lock. */
    private final Map<Path, Stat> seen = new HashMap<>();

    private static final class Dir {
        final WatchKey key;
        final List<Path> names = new ArrayList<>();

        Dir(WatchKey key) {
            this.key = key;
        }
    }

    WatchServiceFs(PortSystem sys) {
        this.sys = sys;
    }

    // ---- FopFs -------------------------------------------------------------------------

    @Override
    public Lookup lookup(Proc cur, String name, boolean follow) {
        LinkOption[] opts = options(follow);
        Path path;
        Stat now;
        try {
            Path p = Paths.get(name).toAbsolutePath().normalize();
            path = follow ? p.toRealPath() : p;
            now = stat(path, opts);
        } catch (InvalidPathException e) {
            return Lookup.failed(Errno.EINVAL.code);
        } catch (NoSuchFileException e) {
            return Lookup.failed(Errno.ENOENT.code);
        } catch (AccessDeniedException | SecurityException e) {
            return Lookup.failed(Errno.EACCES.code);
        } catch (IOException e) {
            return Lookup.failed(Errno.ENOENT.code);
        }
        Path dir = path.getParent();
        synchronized (lock) {
            // register before the first look, so that no change after it goes unreported
            if ((dir != null && !register(dir, path)) || (now.dir() && !register(path, path))) {
                unregister(path);
                return Lookup.failed(Errno.ENOTSUP.code);
            }
            seen.putIfAbsent(path, now);
        }
        return new Lookup(path, dir, path.getFileName() == null ? null : path.getFileName().toString(), 0);
    }

    @Override
    public boolean vneventSupport(Object vp) {
        return true;                                      // a file system without a WatchService failed the lookup
    }

    @Override
    public Times getattr(Object vp) {
        try {
            Stat s = stat((Path) vp, new LinkOption[0]);
            return new Times(s.atime(), s.mtime(), s.ctime());
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    @Override
    public int femInstall(Object vp) {
        return 0;                                         // registered by the lookup
    }

    @Override
    public void femUninstall(Object vp) {
        synchronized (lock) {
            unregister((Path) vp);
            seen.remove(vp);
        }
    }

    @Override
    public void catchUp(Object vp) {
        examine((Path) vp);
    }

    // ---- the watcher -------------------------------------------------------------------

    /** Stat a watched name again and tell port_fop.c what changed since the last look. */
    private void examine(Path name) {
        Stat now;
        try {
            now = stat(name, new LinkOption[0]);
        } catch (IOException | SecurityException e) {
            now = null;
        }
        Stat before;
        synchronized (lock) {
            before = seen.get(name);
            if (before == null) {
                return;                                   // no longer watched
            }
            if (now != null) {
                seen.put(name, now);
            }
        }
        Path dir = name.getParent();
        String cname = name.getFileName() == null ? null : name.getFileName().toString();
        if (now == null) {
            FileWatchSource.portFopSendevent(sys, name, FILE_DELETE, dir, cname);
        } else if (!Objects.equals(now.fileKey(), before.fileKey())) {
            FileWatchSource.portFopSendevent(sys, name, FILE_RENAME_TO, dir, cname);
        } else {
            int ev = changes(before, now);
            if (ev != 0) {
                FileWatchSource.portFopSendevent(sys, name, ev, null, null);
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

    /** Watch {@code dir} for {@code name}. False if its file system has no WatchService. Lock held. */
    private boolean register(Path dir, Path name) {
        Dir d = dirs.get(dir);
        if (d == null || !d.key.isValid()) {
            try {
                WatchKey key = dir.register(service(dir), StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
                Dir nd = new Dir(key);
                if (d != null) {
                    nd.names.addAll(d.names);
                }
                d = nd;
                dirs.put(dir, d);
            } catch (IOException | UnsupportedOperationException | ClosedWatchServiceException e) {
                return false;
            }
        }
        if (!d.names.contains(name)) {
            d.names.add(name);
        }
        return true;
    }

    /** Lock held. */
    private void unregister(Path name) {
        for (Path dir : List.copyOf(dirs.keySet())) {
            Dir d = dirs.get(dir);
            if (d.names.remove(name) && d.names.isEmpty()) {
                d.key.cancel();
                dirs.remove(dir);
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

    /** The watcher thread: each event of a registered directory re-examines the names it concerns. */
    private void run(WatchService ws) {
        try {
            for (;;) {
                WatchKey key = ws.take();
                Path dir = (Path) key.watchable();
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
                List<Path> affected = new ArrayList<>();
                synchronized (lock) {
                    Dir d = dirs.get(dir);
                    if (d != null) {
                        for (Path n : d.names) {
                            // a watched directory hears about its entries; a file, about its name
                            if (overflow || !valid || names.contains(n) || n.equals(dir)) {
                                affected.add(n);
                            }
                        }
                    }
                }
                for (Path n : affected) {
                    examine(n);
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

    private static LinkOption[] options(boolean follow) {
        return follow ? new LinkOption[0] : new LinkOption[]{LinkOption.NOFOLLOW_LINKS};
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
