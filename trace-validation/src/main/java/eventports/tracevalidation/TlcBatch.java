package eventports.tracevalidation;

import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.Value;

/**
 * What one TLC run of a trace spec reads through TraceEventPort's loader operators, and where it
 * reports progress: a batch of lock-level traces ({@link Batch}) or of API-level port traces
 * (eventports.tracevalidation.api.ApiChild). Subclasses set the values before the run.
 */
public abstract class TlcBatch {
    /** TraceLogs: the traces of the batch, a tuple of tuples of records. */
    protected Value logs;
    /** TraceMeta: per trace, what its state may touch. */
    protected Value meta;
    /** TraceConst: EventPort's constants for the whole batch. */
    protected Value constants;

    public final Value logs() {
        return logs;
    }

    public final Value meta() {
        return meta;
    }

    public final Value constants() {
        return constants;
    }

    /** ReportAt: the (trace, index) pairs whose enabled actions are asked for (none by default). */
    public Value reportAt() {
        return new SetEnumValue(new Value[0], true);
    }

    /** TraceProgress: trace {@code tr} reached index {@code i} in a state {@code st}. */
    public abstract void progress(int tr, int i, Value st);
}
