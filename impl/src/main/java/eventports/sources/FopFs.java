package eventports.sources;

import eventports.kernel.Proc;

import java.nio.file.attribute.FileTime;

/**
 * What PORT_SOURCE_FILE (port_fop.c, {@link FileWatchSource}) needs of a file system: name
 * lookup, VOP_GETATTR of the times, vnevent support, and FEM hooks on a watched vnode. The
 * file system in turn reports what happens to a watched vnode by calling
 * {@link FileWatchSource#portFop} (a VOP on it: the FEM hooks) and
 * {@link FileWatchSource#portFopVnevent} (a vnode event: remove, rename, create over, link,
 * mounted over), and {@link FileWatchSource#portFopUnmount} for an unmount (the FSEM hook).
 * Two implement it: {@link SimFs} (a simulated file system, deterministic, driven by the
 * conformance file ops) and {@link WatchServiceFs} (the host's, seen through
 * java.nio.file.WatchService on real threads).
 *
 * <p>A vnode is any object with identity semantics ({@code equals}) chosen by the file system;
 * port_fop.c keeps its watch list (v_fopdata) per vnode.
 */
interface FopFs {
    /**
     * port_fop_getdvp + port_resolve_vp: the vnode {@code name} names (symbolic links followed
     * if {@code follow}), the directory vnode it was found in and its last component — the
     * directory is null when there is none or it is on another file system (port_associate_fop
     * ignores it then) — or an errno.
     */
    Lookup lookup(Proc cur, String name, boolean follow);

    /** vnevent_support: can the vnode's file system report vnode events (else ENOTSUP)? */
    boolean vneventSupport(Object vp);

    /** VOP_GETATTR of the times, or null if the vnode can no longer be asked (port_check_timestamp gives up). */
    Times getattr(Object vp);

    /** fem_install (+ port_fop_pvfsadd): start reporting operations on {@code vp}; 0 or an errno. */
    int femInstall(Object vp);

    /** fem_uninstall: the last watch of {@code vp} is gone. */
    void femUninstall(Object vp);

    /**
     * Called before a watch of {@code vp} becomes active: a file system that learns of changes
     * late (WatchServiceFs) reports now what it has not yet, so that the changes go to the
     * watches that were active when they happened. The simulated one knows at once: no-op.
     */
    default void catchUp(Object vp) {
    }

    /** A lookup: a vnode, its directory vnode or null, the last component; or {@code errno} != 0. */
    record Lookup(Object vp, Object dvp, String cname, int errno) {
        static Lookup failed(int errno) {
            return new Lookup(null, null, null, errno);
        }
    }

    /** va_atime, va_mtime, va_ctime. */
    record Times(FileTime atime, FileTime mtime, FileTime ctime) {
    }
}
