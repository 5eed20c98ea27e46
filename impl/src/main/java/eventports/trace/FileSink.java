package eventports.trace;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.PriorityQueue;

/**
 * Writes a run's records to an NDJSON file as they come, in sequence order, in bounded memory:
 * a run of any length can keep its whole trace (issue 14).
 *
 * <p>Records reach a sink out of order: the Tracer takes a record's sequence number inside the
 * step's critical section, and two threads in the critical sections of two ports hand theirs
 * over in either order. The sink holds a record back until every smaller number has been
 * written; what it holds is at most what the threads between taking a number and recording it
 * have made, a few records per thread. A number that never comes (a record lost) would make
 * the backlog grow: past {@link #MAX_BACKLOG} the sink fails, naming it.
 */
public final class FileSink implements TraceSink, Closeable {
    /** Records held back before the sink gives up waiting for a missing one. */
    static final int MAX_BACKLOG = 1 << 20;

    private record Pending(long seq, String line) {
    }

    private final Path file;
    private final Writer out;
    private final PriorityQueue<Pending> backlog = new PriorityQueue<>((a, b) -> Long.compare(a.seq, b.seq));
    /** The next sequence number to write; guarded by this. */
    private long next;
    private long written;
    /** The first write failure: the run goes on, {@link #close} reports it. */
    private IOException failure;

    public FileSink(Path file) throws IOException {
        this.file = file;
        this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public void record(TraceRecord r) {
        String line = Ndjson.line(r);          // outside the lock: formatting is most of the cost
        synchronized (this) {
            if (failure != null) {
                return;
            }
            if (r.seq() != next) {
                if (r.seq() < next) {
                    failure = new IOException(file + ": record seq " + r.seq() + " came twice (or after its place)");
                    return;
                }
                backlog.add(new Pending(r.seq(), line));
                if (backlog.size() > MAX_BACKLOG) {
                    failure = new IOException(file + ": record seq " + next + " never came (" + backlog.size()
                            + " later records waiting)");
                }
                return;
            }
            write(line);
            while (!backlog.isEmpty() && backlog.peek().seq == next) {
                write(backlog.poll().line);
            }
        }
    }

    private void write(String line) {
        try {
            out.write(line);
            out.write('\n');
            next++;
            written++;
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Records written so far. */
    public synchronized long written() {
        return written;
    }

    /**
     * Flush and close. Throws the first write failure, or names the first missing record if
     * some never came (a gap would make the trace a different behaviour).
     */
    @Override
    public synchronized void close() throws IOException {
        try {
            out.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (!backlog.isEmpty()) {
            throw new IOException(file + ": record seq " + next + " never came (" + backlog.size() + " later records not written)");
        }
    }
}
