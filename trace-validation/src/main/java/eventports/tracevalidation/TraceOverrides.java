package eventports.tracevalidation;

import tlc2.overrides.TLAPlusOperator;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;

/**
 * The Java side of TraceEventPort's loader operators (tlc-notes.md: no CommunityModules, so
 * traces reach TLC through overrides). The batch is handed over in a static field before a
 * run; values are built once and memoised, since TLC re-evaluates an override at every
 * reference while it pre-computes constant definitions.
 */
public final class TraceOverrides {
    private TraceOverrides() {
    }

    /** The batch of the run in progress (one TLC run at a time per JVM). */
    static volatile TlcBatch current;

    @TLAPlusOperator(identifier = "TraceLogs", module = "TraceEventPort", warn = false)
    public static Value traceLogs() {
        return current.logs();
    }

    @TLAPlusOperator(identifier = "TraceMeta", module = "TraceEventPort", warn = false)
    public static Value traceMeta() {
        return current.meta();
    }

    @TLAPlusOperator(identifier = "TraceConst", module = "TraceEventPort", warn = false)
    public static Value traceConst() {
        return current.constants();
    }

    @TLAPlusOperator(identifier = "ReportAt", module = "TraceEventPort", warn = false)
    public static Value reportAt() {
        return current.reportAt();
    }

    /** Called on every state: remembers how far each trace got, and the states there. */
    @TLAPlusOperator(identifier = "TraceProgress", module = "TraceEventPort", warn = false)
    public static Value traceProgress(Value tr, Value i, Value st) {
        current.progress(((IntValue) tr).val, ((IntValue) i).val, st);
        return BoolValue.ValTrue;
    }

    static TupleValue tuple(Value... vs) {
        return new TupleValue(vs);
    }
}
