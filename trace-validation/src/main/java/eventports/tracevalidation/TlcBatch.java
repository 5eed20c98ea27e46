package eventports.tracevalidation;

import tlc2.value.impl.Value;

/**
 * What one TLC run of a trace spec reads through TraceEventPort's loader operators, and where it
 * reports progress: a batch of lock-level traces ({@link Batch}) or of API-level port traces
 * (eventports.tracevalidation.api).
 */
public interface TlcBatch {
    /** TraceLogs: the traces of the batch, a tuple of tuples of records. */
    Value logs();

    /** TraceMeta: per trace, what its state may touch. */
    Value meta();

    /** TraceConst: EventPort's constants for the whole batch. */
    Value constants();

    /** ReportAt: the (trace, index) pairs whose enabled actions are asked for. */
    Value reportAt();

    /** TraceProgress: trace {@code tr} reached index {@code i} in a state {@code st}. */
    void progress(int tr, int i, Value st);
}
