package eventports.trace;

/**
 * Receives the core's trace records. Called inside the critical section of the step, so an
 * implementation must be quick and must not call back into the core.
 */
@FunctionalInterface
public interface TraceSink {
    void record(TraceRecord r);
}
