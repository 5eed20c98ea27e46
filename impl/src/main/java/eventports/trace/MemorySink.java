package eventports.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps every record in memory; {@link #records()} returns them in sequence order.
 *
 * <p>Recording takes no lock: each thread appends to a segment of its own (the record's place
 * in the total order is its sequence number, taken by the Tracer inside the step's critical
 * section, so the segments need no common order). A segment publishes its length with a
 * release store, so a reader sees every record up to the length it reads. {@link #clear()} is
 * for moments when no step is running (between runs).
 */
public final class MemorySink implements TraceSink {
    private static final VarHandle SIZE;

    static {
        try {
            SIZE = MethodHandles.lookup().findVarHandle(Segment.class, "size", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One thread's records. */
    private static final class Segment {
        final Thread owner = Thread.currentThread();
        TraceRecord[] records = new TraceRecord[64];
        /** Written by the owner only. */
        volatile int size;
    }

    /** Every segment ever made, guarded by itself. */
    private final List<Segment> segments = new ArrayList<>();
    private final ThreadLocal<Segment> mine = ThreadLocal.withInitial(this::newSegment);
    /** The segment of the thread that recorded last: most runs record from one thread at a time. */
    private Segment last;

    private Segment newSegment() {
        Segment s = new Segment();
        synchronized (segments) {
            segments.add(s);
        }
        return s;
    }

    @Override
    public void record(TraceRecord r) {
        Segment s = last;
        if (s == null || s.owner != Thread.currentThread()) {
            s = mine.get();
            last = s;
        }
        int n = s.size;
        if (n == s.records.length) {
            s.records = Arrays.copyOf(s.records, n * 2);
        }
        s.records[n] = r;
        SIZE.setRelease(s, n + 1);
    }

    public List<TraceRecord> records() {
        List<TraceRecord> copy = new ArrayList<>();
        synchronized (segments) {
            for (Segment s : segments) {
                int n = (int) SIZE.getAcquire(s);
                TraceRecord[] a = s.records;
                copy.addAll(Arrays.asList(a).subList(0, n));
            }
        }
        copy.sort(Comparator.comparingLong(TraceRecord::seq));
        return copy;
    }

    public int size() {
        int n = 0;
        synchronized (segments) {
            for (Segment s : segments) {
                n += (int) SIZE.getAcquire(s);
            }
        }
        return n;
    }

    /** Forget every record. Only while no step is running. */
    public void clear() {
        synchronized (segments) {
            for (Segment s : segments) {
                Arrays.fill(s.records, 0, s.size, null);
                s.size = 0;
            }
        }
    }
}
