package eventports.trace;

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
        try {
            sink.record(new TraceRecord(seq.getAndIncrement(), action.id(), threadName.get(), pid, port, new FieldMap(kv)));
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    /** The first exception the sink threw, or null: a run whose sink failed has an incomplete trace. */
    public RuntimeException failure() {
        return failure;
    }
}
