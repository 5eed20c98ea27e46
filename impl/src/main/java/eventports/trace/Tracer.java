package eventports.trace;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Numbers records and hands them to the sink. The core holds a Tracer only when a sink is
 * installed, so with tracing off every emission site costs one null check.
 */
public final class Tracer {
    private final TraceSink sink;
    private final Supplier<String> threadName;
    private final AtomicLong seq = new AtomicLong();
    /**
     * A checkpoint record is due on a port after this many of its records (0: never); from
     * {@code -Deventports.trace.checkpoint=N}. A checkpoint lets validation cut the port's trace
     * into segments checked on their own (trace-validation/README.md, "Segments").
     */
    private final long checkpointEvery = Long.getLong("eventports.trace.checkpoint", 0);
    /** Per port: records since its last checkpoint (only counted with checkpoints on). */
    private final ConcurrentHashMap<Integer, AtomicLong> sinceCheckpoint = new ConcurrentHashMap<>();
    /** The first exception a sink threw: kept, not thrown, so the kernel never dies holding a lock. */
    private volatile RuntimeException failure;

    public Tracer(TraceSink sink, Supplier<String> threadName) {
        this.sink = sink;
        this.threadName = threadName;
    }

    /**
     * Emit {@code action} with alternating key/value pairs. Call inside the step's critical
     * section. The record's fields are a view of {@code kv}, which the caller must not reuse.
     */
    public void emit(Action action, int pid, int port, Object... kv) {
        if (checkpointEvery > 0) {
            sinceCheckpoint.computeIfAbsent(port, p -> new AtomicLong()).incrementAndGet();
        }
        try {
            sink.record(new TraceRecord(seq.getAndIncrement(), action.id(), threadName.get(), pid, port, new FieldMap(kv)));
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    /** Whether port {@code port} has written {@code eventports.trace.checkpoint} records since its last checkpoint. */
    public boolean checkpointDue(int port) {
        if (checkpointEvery <= 0) {
            return false;
        }
        AtomicLong n = sinceCheckpoint.get(port);
        return n != null && n.get() >= checkpointEvery;
    }

    /** Port {@code port} wrote a checkpoint: the next is due {@code checkpointEvery} records later. */
    public void checkpointed(int port) {
        AtomicLong n = sinceCheckpoint.get(port);
        if (n != null) {
            n.set(0);
        }
    }

    /** The first exception the sink threw, or null: a run whose sink failed has an incomplete trace. */
    public RuntimeException failure() {
        return failure;
    }
}
