package eventports.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * uf_entry_t (fio.c): one slot of a process's descriptor table. All fields are guarded by
 * the descriptor table's lock ({@link PortSystem#fileLock}).
 */
final class UfEntry {
    /**
     * uf_file: the open file, or null while close(2) closes this descriptor: getf fails
     * (EBADF) from the moment closeandsetf clears it, and the slot stays reserved until closef
     * has returned.
     */
    FileObj ufFile;
    /** uf_refcnt: getf references held by this process's threads in calls on this descriptor. */
    int ufRefcnt;
    /** uf_portfd: FD associations recorded on this descriptor (addfd_port). */
    final List<PortFdLink> ufPortfd = new ArrayList<>();

    UfEntry(FileObj fp) {
        this.ufFile = fp;
    }
}
