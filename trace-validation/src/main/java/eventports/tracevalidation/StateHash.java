package eventports.tracevalidation;

import tlc2.value.impl.BoolValue;
import tlc2.value.impl.Enumerable;
import tlc2.value.impl.FcnLambdaValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.IntervalValue;
import tlc2.value.impl.ModelValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import tlc2.value.impl.ValueVec;
import util.UniqueString;

/**
 * A 64-bit hash of a TLC value that equal values share (TraceEventPort's TStateView): TLC's own
 * fingerprint of a state walks every function over the port's events and threads and hashes
 * every string character by character at every state, a third of a stress port's run. Here a
 * string is its intern token, a function or record the sum of its (argument, value) pairs' mixes
 * and a set the sum of its elements' (so representation and order do not matter: a tuple equals
 * a function on 1..n, a record a function on its field names), and a composite value already
 * hashed is found by identity (a step copies a few of a state's values and shares the rest).
 */
final class StateHash {
    private StateHash() {
    }

    private static final long INT = 0x9E3779B97F4A7C15L;
    private static final long BOOL = 0xC2B2AE3D27D4EB4FL;
    private static final long STR = 0x165667B19E3779F9L;
    private static final long MV = 0xD6E8FEB86659FD93L;
    private static final long FCN = 0xA0761D6478BD642FL;
    private static final long SET = 0xE7037ED1A0B428DBL;
    private static final long PAIR = 0x8EBC6AF09C88C6E3L;
    private static final long OTHER = 0x589965CC75374CC3L;

    /** Composite values hashed before, by identity (state values are not changed once made). */
    private static final class Entry {
        final Object key;
        final long hash;

        Entry(Object key, long hash) {
            this.key = key;
            this.hash = hash;
        }
    }

    private static final int BITS = 14;
    private static final Entry[] CACHE = new Entry[1 << BITS];

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long integer(int k) {
        return mix(INT * k + 1);
    }

    /** By intern token: equal strings share one (three multiplications, no walk of the characters). */
    private static long str(UniqueString s) {
        return mix(STR + s.getTok());
    }

    private static long pair(long arg, long val) {
        return mix(arg + (val ^ PAIR) * INT);
    }

    private static long fcn(long sum, int n) {
        return mix(sum + FCN * (n + 1L));
    }

    static long of(Value v) {
        if (v instanceof IntValue) {
            return integer(((IntValue) v).val);
        }
        if (v instanceof StringValue) {
            return str(((StringValue) v).val);
        }
        if (v instanceof BoolValue) {
            return ((BoolValue) v).val ? BOOL : ~BOOL;
        }
        if (v instanceof ModelValue) {
            return mix(MV + ((ModelValue) v).val.getTok());
        }
        if (v instanceof FcnLambdaValue) {
            return of(((FcnLambdaValue) v).toFcnRcd());
        }
        int slot = System.identityHashCode(v) & ((1 << BITS) - 1);
        Entry e = CACHE[slot];
        if (e != null && e.key == v) {
            return e.hash;
        }
        long h = composite(v);
        CACHE[slot] = new Entry(v, h);
        return h;
    }

    private static long composite(Value v) {
        long sum = 0;
        if (v instanceof TupleValue) {
            Value[] es = ((TupleValue) v).elems;
            for (int k = 0; k < es.length; k++) {
                sum += pair(integer(k + 1), of(es[k]));
            }
            return fcn(sum, es.length);
        }
        if (v instanceof FcnRcdValue) {
            FcnRcdValue f = (FcnRcdValue) v;
            Value[] vs = f.values;
            if (f.intv != null) {
                for (int k = 0; k < vs.length; k++) {
                    sum += pair(integer(f.intv.low + k), of(vs[k]));
                }
            } else {
                for (int k = 0; k < vs.length; k++) {
                    sum += pair(of(f.domain[k]), of(vs[k]));
                }
            }
            return fcn(sum, vs.length);
        }
        if (v instanceof RecordValue) {
            RecordValue r = (RecordValue) v;
            for (int k = 0; k < r.names.length; k++) {
                sum += pair(str(r.names[k]), of(r.values[k]));
            }
            return fcn(sum, r.names.length);
        }
        if (v instanceof IntervalValue) {
            IntervalValue s = (IntervalValue) v;
            for (int k = s.low; k <= s.high; k++) {
                sum += mix(SET + integer(k));
            }
            return mix(sum + SET * (Math.max(0, s.high - s.low + 1) + 1L));
        }
        if (v instanceof Enumerable) {
            // normalized: sorted, no element twice (a set's hash must not count one twice)
            SetEnumValue s = (SetEnumValue) ((SetEnumValue) v.toSetEnum()).normalize();
            ValueVec es = s.elems;
            for (int k = 0; k < es.size(); k++) {
                sum += mix(SET + of(es.elementAt(k)));
            }
            return mix(sum + SET * (es.size() + 1L));
        }
        return mix(OTHER + v.fingerPrint(tlc2.util.FP64.New()));
    }
}
