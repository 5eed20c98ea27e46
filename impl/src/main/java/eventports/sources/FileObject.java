package eventports.sources;

import java.io.IOException;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * file_obj_t (sys/port.h): the object of a PORT_SOURCE_FILE association — a file name and the
 * access, modification and change times the caller last saw (null = 0: not compared). It lives
 * in "user memory": port_associate receives its {@link #address()} as the object and copies it
 * in, so a changed name or new times take effect at the next association, and an address whose
 * object was dropped is EFAULT. Delivered events carry the address as portev_object.
 */
public final class FileObject {
    private static final AtomicLong NEXT = new AtomicLong(0x10000);
    private static final Map<Long, Ref> MEMORY = new ConcurrentHashMap<>();
    private static final ReferenceQueue<FileObject> GONE = new ReferenceQueue<>();

    private static final class Ref extends WeakReference<FileObject> {
        final long address;

        Ref(FileObject fo) {
            super(fo, GONE);
            this.address = fo.address;
        }
    }

    private final long address;
    public volatile String name;
    public volatile FileTime atime;
    public volatile FileTime mtime;
    public volatile FileTime ctime;

    /** fo_name = {@code name}, all times 0 (nothing compared at association). */
    public FileObject(String name) {
        this(name, null, null, null);
    }

    /** fo_name and the times the caller last saw (null: 0, not compared). */
    public FileObject(String name, FileTime atime, FileTime mtime, FileTime ctime) {
        this.atime = atime;
        this.mtime = mtime;
        this.ctime = ctime;
        this.address = NEXT.getAndAdd(64);
        this.name = name;
        for (Ref r; (r = (Ref) GONE.poll()) != null; ) {
            MEMORY.remove(r.address);
        }
        MEMORY.put(address, new Ref(this));
    }

    /**
     * stat(2) then fill the times, as clients do before associating so that a change between
     * their stat and the association is reported at once. The change time is the file system's
     * ctime where it has one ("unix:ctime"), else the modification time.
     */
    public static FileObject stat(Path file) throws IOException {
        FileObject fo = new FileObject(file.toString());
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        fo.atime = a.lastAccessTime();
        fo.mtime = a.lastModifiedTime();
        fo.ctime = WatchServiceFs.ctime(file, a, new LinkOption[0]);
        return fo;
    }

    /** What port_associate copies in: the name and the three times, as they are now. */
    record Copy(String name, FileTime atime, FileTime mtime, FileTime ctime) {
    }

    Copy copyin() {
        return new Copy(name, atime, mtime, ctime);
    }

    /** Where the object lives: pass it as port_associate's object. */
    public long address() {
        return address;
    }

    /** copyin: the object at {@code address}, or null (EFAULT). */
    static FileObject at(long address) {
        Ref r = MEMORY.get(address);
        return r == null ? null : r.get();
    }
}
