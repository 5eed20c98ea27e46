package eventports.sources;

import eventports.kernel.Errno;
import static eventports.sources.Errnos.errno;
import eventports.kernel.Port;
import eventports.kernel.PortEvent;
import eventports.kernel.PortException;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.Timeout;
import eventports.sched.DetSched;
import eventports.sched.RealSched;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static eventports.kernel.Ports.PORT_SOURCE_FILE;
import static eventports.sources.FileWatchSource.FILE_ATTRIB;
import static eventports.sources.FileWatchSource.FILE_DELETE;
import static eventports.sources.FileWatchSource.FILE_MODIFIED;
import static eventports.sources.FileWatchSource.FILE_TRUNC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PORT_SOURCE_FILE on a WatchService over a temporary directory (real threads, bounded waits). */
class FileWatchSourceTest {
    /** Generous: where the JDK polls instead of using inotify, changes show up seconds late. */
    private static final Timeout WAIT = Timeout.ofMillis(30_000);

    @TempDir
    Path dir;

    private final PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
    private final Proc p = sys.spawn();

    @AfterEach
    void stop() {
        FileWatchSource.shutdown(sys);
    }

    @Test
    void modificationFiresOnceThenNeedsReassociation() throws Exception {
        int port = p.portCreate();
        Path f = Files.writeString(dir.resolve("a"), "one");
        FileObject fo = new FileObject(f.toString());
        p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), FILE_MODIFIED, "w");
        Files.writeString(f, "two, longer", StandardOpenOption.APPEND);
        PortEvent e = p.portGet(port, WAIT);
        assertEquals(PORT_SOURCE_FILE, e.source());
        assertEquals(fo.address(), e.object());
        assertEquals("w", e.user());
        assertEquals(FILE_MODIFIED, e.events());
        Files.writeString(f, "three", StandardOpenOption.APPEND);
        // one-shot: inactive and nothing queued, so dissociating reports ENOENT
        assertEquals(Errno.ENOENT, errno(() -> p.portDissociate(port, PORT_SOURCE_FILE, fo.address())));
        assertEquals(Errno.ENOENT, errno(() -> p.portDissociate(port, PORT_SOURCE_FILE, fo.address())));
        assertEquals(0, ((Port) p.file(port).vnode()).curr());
    }

    @Test
    void staleTimestampsFireDuringTheAssociation() throws Exception {
        int port = p.portCreate();
        Path f = Files.writeString(dir.resolve("b"), "one");
        FileObject fo = FileObject.stat(f);
        Files.setLastModifiedTime(f, FileTime.fromMillis(fo.mtime.toMillis() - 60_000));
        p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), FILE_MODIFIED | FILE_ATTRIB, "s");
        PortEvent e = p.portGet(port, Timeout.POLL);       // queued by port_associate itself
        assertTrue((e.events() & FILE_MODIFIED) != 0);
        FileObject fresh = FileObject.stat(f);
        p.portAssociate(port, PORT_SOURCE_FILE, fresh.address(), FILE_MODIFIED, "s2");
        assertEquals(0, p.portGetn(port, 0, 0, null).nget(), "times as the file has them: nothing to report");
    }

    @Test
    void deletionIsAnExceptionEventAndRemovesTheWatch() throws Exception {
        int port = p.portCreate();
        Path f = Files.writeString(dir.resolve("c"), "x");
        FileObject fo = new FileObject(f.toString());
        p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), FILE_MODIFIED, "d");
        Files.delete(f);
        PortEvent e = p.portGet(port, WAIT);
        assertEquals(FILE_DELETE, e.events(), "delivered although only FILE_MODIFIED was asked for");
        assertEquals(Errno.ENOENT, errno(() -> p.portDissociate(port, PORT_SOURCE_FILE, fo.address())));
        assertEquals(0, ((Port) p.file(port).vnode()).curr());
    }

    @Test
    void truncation() throws Exception {
        int port = p.portCreate();
        Path f = Files.writeString(dir.resolve("t"), "a longer content");
        FileObject fo = new FileObject(f.toString());
        p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), FILE_TRUNC, "t");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(3);
        }
        assertEquals(FILE_TRUNC, p.portGet(port, WAIT).events());
    }

    @Test
    void directoryWatchSeesNewEntries() throws Exception {
        int port = p.portCreate();
        Path d = Files.createDirectory(dir.resolve("sub"));
        FileObject fo = new FileObject(d.toString());
        p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), FILE_MODIFIED, "dir");
        Files.writeString(d.resolve("new"), "x");
        PortEvent e = p.portGet(port, WAIT);
        assertEquals(FILE_MODIFIED, e.events());
        assertEquals("dir", e.user());
    }

    @Test
    void errnos() throws Exception {
        int port = p.portCreate();
        Path f = Files.writeString(dir.resolve("e"), "x");
        FileObject fo = new FileObject(f.toString());
        assertEquals(Errno.EINVAL, errno(() -> p.portDissociate(port, PORT_SOURCE_FILE, fo.address())),
                "the port never had a FILE watch");
        assertEquals(Errno.EINVAL, errno(() -> p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), 0x8, 0)));
        assertEquals(Errno.EFAULT, errno(() -> p.portAssociate(port, PORT_SOURCE_FILE, 12345, FILE_MODIFIED, 0)));
        FileObject missing = new FileObject(dir.resolve("nope").toString());
        assertEquals(Errno.ENOENT, errno(() -> p.portAssociate(port, PORT_SOURCE_FILE, missing.address(),
                FILE_MODIFIED, 0)));
        p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), FILE_MODIFIED, 0);
        Proc child = p.fork();
        assertEquals(Errno.ENOENT, errno(() -> child.portDissociate(port, PORT_SOURCE_FILE, fo.address())),
                "watches are per process");
        p.portDissociate(port, PORT_SOURCE_FILE, fo.address());          // armed: 0
    }

    @Test
    void ownerOnlyAndPortCloseRemovesWatches() throws Exception {
        int port = p.portCreate();
        Port pp = (Port) p.file(port).vnode();
        Proc child = p.fork();
        Path f = Files.writeString(dir.resolve("o"), "x");
        FileObject fo = FileObject.stat(f);
        Files.setLastModifiedTime(f, FileTime.fromMillis(fo.mtime.toMillis() - 60_000));
        p.portAssociate(port, PORT_SOURCE_FILE, fo.address(), FILE_MODIFIED, "mine");
        assertEquals(0, child.portGetn(port, 4, 1, Timeout.POLL).nget(), "denied to another process");
        assertEquals(1, child.portGetn(port, 0, 0, null).nget());
        p.close(port);                                   // per-process: the watch and its event go
        assertEquals(0, child.portGetn(port, 0, 0, null).nget());
        assertEquals(0, pp.curr());
    }

    @Test
    void theDeterministicRuntimeWatchesTheSimulatedFileSystem() throws Exception {
        // the host's file exists, but on the deterministic runtime names resolve in SimFs
        DetSched det = new DetSched();
        try {
            PortSystem dsys = new PortSystem(Profile.ILLUMOS, det);
            Proc q = dsys.spawn();
            FileObject host = new FileObject(dir.toString());
            FileObject sim = new FileObject("/d");
            Object r = det.call("T", () -> {
                int port = q.portCreate();
                Errno missing = errno(() -> q.portAssociate(port, PORT_SOURCE_FILE, host.address(), FILE_MODIFIED, 0));
                SimFs.of(dsys).mkdir("/d");
                q.portAssociate(port, PORT_SOURCE_FILE, sim.address(), FILE_MODIFIED, "d");
                SimFs.of(dsys).create("/d/f");
                return List.of(missing, q.portGet(port, Timeout.POLL));
            }, null).value();
            assertEquals(List.of(Errno.ENOENT, new PortEvent(FILE_MODIFIED, PORT_SOURCE_FILE, sim.address(), "d")), r);
        } finally {
            det.shutdown();
        }
    }

}
