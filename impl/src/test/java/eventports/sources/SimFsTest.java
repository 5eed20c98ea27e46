package eventports.sources;

import eventports.kernel.Errno;
import eventports.kernel.Limits;
import eventports.kernel.Port;
import eventports.kernel.PortEvent;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.Timeout;
import eventports.sched.RealSched;
import org.junit.jupiter.api.Test;

import java.util.List;

import static eventports.kernel.Ports.PORT_SOURCE_FILE;
import static eventports.sources.Errnos.errno;
import static eventports.sources.FileWatchSource.FILE_ATTRIB;
import static eventports.sources.FileWatchSource.FILE_DELETE;
import static eventports.sources.FileWatchSource.FILE_MODIFIED;
import static eventports.sources.FileWatchSource.UNMOUNTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PORT_SOURCE_FILE on the simulated file system, called sequentially on real threads (SimFs
 * made before the first watch): the errnos of the calls and of the watches, and the lifetime
 * of a watch's CACHED slot and of an exception event's DEFAULT slot (the corpus' file-*
 * scenarios pin the events down on the deterministic runtime).
 */
class SimFsTest {
    private final PortSystem sys = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.withPortMaxEvents(8),
            new RealSched(), null);
    private final SimFs fs = SimFs.of(sys);
    private final Proc p = sys.spawn();

    private static Port port(Proc p, int fd) {
        return (Port) p.file(fd).vnode();
    }

    private List<PortEvent> drain(int port) throws Exception {
        return p.portGetn(port, 16, 1, Timeout.POLL).events();
    }

    @Test
    void callsFailWithIllumosErrnos() throws Exception {
        fs.mkdir("/d");
        fs.create("/d/f");
        assertEquals(Errno.ENOENT, errno(() -> fs.write("/nope")));
        assertEquals(Errno.ENOTDIR, errno(() -> fs.create("/d/f/x")));
        assertEquals(Errno.EEXIST, errno(() -> fs.mkdir("/d")));
        assertEquals(Errno.EISDIR, errno(() -> fs.write("/d")));
        assertEquals(Errno.EPERM, errno(() -> fs.unlink("/d")));
        assertEquals(Errno.ENOTDIR, errno(() -> fs.rmdir("/d/f")));
        assertEquals(Errno.EEXIST, errno(() -> fs.rmdir("/d")), "not empty (zfs)");
        assertEquals(Errno.EBUSY, errno(() -> fs.rmdir("/")), "the root");
        assertEquals(Errno.EINVAL, errno(() -> fs.setattr("/d/f", 0)));
        assertEquals(Errno.EINVAL, errno(() -> fs.setattr("/d/f", 0x1)), "AT_TYPE cannot be set");
        assertEquals(Errno.EINVAL, errno(() -> fs.rename("/d", "/d/x")));
        assertEquals(Errno.EISDIR, errno(() -> fs.rename("/d/f", "/d")));
        fs.mkdir("/m");
        fs.mount("/m", true);
        assertEquals(Errno.EBUSY, errno(() -> fs.mount("/m", true)));
        assertEquals(Errno.EXDEV, errno(() -> fs.link("/d/f", "/m/f")));
        assertEquals(Errno.EBUSY, errno(() -> fs.rmdir("/m")), "a mount point");
        assertEquals(Errno.EINVAL, errno(() -> fs.unmount("/d")));
        fs.unmount("/m");
        fs.rmdir("/m");
        fs.rename("/d/f", "/d/f");                        // the same file: nothing happens
        fs.unlink("/d/f");
        fs.rmdir("/d");
    }

    /** A port, and the file /d/f. */
    private int portAndFile() throws Exception {
        fs.mkdir("/d");
        fs.create("/d/f");
        return p.portCreate();
    }

    @Test
    void watchErrnosAndTheSlotOfAWatch() throws Exception {
        int port = portAndFile();
        Port pp = port(p, port);
        FileObject fo = new FileObject("/d/f");
        assertEquals(Errno.EINVAL, errno(() -> p.portDissociate(port, PORT_SOURCE_FILE, fo.address())));
        assertEquals(Errno.EINVAL, errno(() -> p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), 0x8, 0)));
        assertEquals(Errno.EFAULT, errno(() -> p.portAssociate(port, PORT_SOURCE_FILE, 1L, FILE_MODIFIED, 0)));
        FileObject missing = new FileObject("/d/none");
        assertEquals(Errno.ENOENT, errno(() -> p.portAssociate(port, PORT_SOURCE_FILE, missing.address(),
                FILE_MODIFIED, 0)));
        fs.mkdir("/nv");
        fs.mount("/nv", false);
        fs.create("/nv/f");
        FileObject nv = new FileObject("/nv/f");
        assertEquals(Errno.ENOTSUP, errno(() -> p.portAssociate(port, PORT_SOURCE_FILE, nv.address(),
                FILE_MODIFIED, 0)));
        assertEquals(0, pp.curr(), "no failed association holds a slot");

        p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), FILE_MODIFIED, "w");
        assertEquals(1, pp.curr(), "the watch's CACHED slot");
        fs.write("/d/f");
        assertEquals(List.of(new PortEvent(FILE_MODIFIED, PORT_SOURCE_FILE, fo.address(), "w")), drain(port));
        assertEquals(1, pp.curr(), "delivery does not free a CACHED slot");
        assertEquals(Errno.ENOENT, errno(() -> p.portDissociate(port, PORT_SOURCE_FILE, fo.address())));
        assertEquals(0, pp.curr(), "dissociation frees it");
        assertEquals(0, FileWatchSource.watches(pp));
    }

    @Test
    void anExceptionEventHasADefaultSlotOfItsOwn() throws Exception {
        int port = portAndFile();
        Port pp = port(p, port);
        FileObject fo = new FileObject("/d/f");
        p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), FILE_ATTRIB, "w");
        fs.unlink("/d/f");
        assertEquals(1, pp.curr(), "the watch's slot went, the exception event's is allocated");
        assertEquals(List.of(new PortEvent(FILE_DELETE, PORT_SOURCE_FILE, fo.address(), "w")), drain(port));
        assertEquals(0, pp.curr(), "delivered and freed");
    }

    @Test
    void portCloseAndUnmountDropEveryWatch() throws Exception {
        int port = p.portCreate();
        fs.mkdir("/m");
        fs.mount("/m", true);
        fs.create("/m/a");
        fs.create("/m/b");
        FileObject a = new FileObject("/m/a");
        FileObject b = new FileObject("/m/b");
        p.portAssociate(port, PORT_SOURCE_FILE, a.address(), FILE_MODIFIED, "a");
        p.portAssociate(port, PORT_SOURCE_FILE, b.address(), FILE_MODIFIED, "b");
        fs.unmount("/m");
        assertEquals(List.of(new PortEvent(UNMOUNTED, PORT_SOURCE_FILE, b.address(), "b"),
                new PortEvent(UNMOUNTED, PORT_SOURCE_FILE, a.address(), "a")), drain(port),
                "the most recently watched vnode first (pvfs_pvplist)");
        fs.create("/f");
        FileObject f = new FileObject("/f");
        int other = p.portCreate();
        p.portAssociate(other, PORT_SOURCE_FILE, f.address(), FILE_MODIFIED, "f");
        fs.write("/f");
        p.close(other);                                   // the last close: the watch and its event go
        fs.write("/f");
        assertTrue(p.portGetn(port, 16, 1, Timeout.POLL).events().isEmpty());
    }
}
