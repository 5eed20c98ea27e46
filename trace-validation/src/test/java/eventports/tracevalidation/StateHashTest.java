package eventports.tracevalidation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.IntervalValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import util.UniqueString;

/**
 * TraceEventPort's VIEW tells states apart by StateHash alone (with the trace and record index):
 * equal values must hash alike whatever TLC's representation of them, and distinct values apart,
 * or TLC would merge two states and lose the behaviours of one.
 */
class StateHashTest {
    private static Value i(int k) {
        return IntValue.gen(k);
    }

    private static Value s(String x) {
        return new StringValue(x);
    }

    private static Value rec(String[] names, Value... vs) {
        UniqueString[] us = new UniqueString[names.length];
        for (int k = 0; k < names.length; k++) {
            us[k] = UniqueString.uniqueStringOf(names[k]);
        }
        return new RecordValue(us, vs, false);
    }

    @Test
    void equalValuesHashAlikeInEveryRepresentation() {
        long tuple = StateHash.of(new TupleValue(new Value[] {i(7), s("a")}));
        assertEquals(tuple, StateHash.of(new FcnRcdValue(new IntervalValue(1, 2), new Value[] {i(7), s("a")})));
        assertEquals(tuple, StateHash.of(new FcnRcdValue(new Value[] {i(2), i(1)}, new Value[] {s("a"), i(7)}, false)));

        long r = StateHash.of(rec(new String[] {"pc", "nget"}, s("idle"), i(0)));
        assertEquals(r, StateHash.of(rec(new String[] {"nget", "pc"}, i(0), s("idle"))));
        assertEquals(r, StateHash.of(new FcnRcdValue(new Value[] {s("pc"), s("nget")}, new Value[] {s("idle"), i(0)}, false)));

        long set = StateHash.of(new IntervalValue(1, 3));
        assertEquals(set, StateHash.of(new SetEnumValue(new Value[] {i(3), i(1), i(2), i(2)}, false)));
        assertEquals(set, StateHash.of(new SetEnumValue(new Value[] {i(1), i(2), i(3)}, true)));

        // a value hashed before (found by identity) and an equal fresh one
        Value f = new FcnRcdValue(new IntervalValue(0, 3), new Value[] {s("none"), s("queued"), s("none"), s("free")});
        long first = StateHash.of(f);
        assertEquals(first, StateHash.of(f));
        assertEquals(first, StateHash.of(new FcnRcdValue(new IntervalValue(0, 3),
                new Value[] {s("none"), s("queued"), s("none"), s("free")})));
    }

    @Test
    void distinctValuesHashApart() {
        List<Value> values = new ArrayList<>();
        Value[] range = {i(0), i(1), s("queued")};
        // every function from 1..3 to range: values moved between arguments must differ
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 3; c++) {
                    values.add(new TupleValue(new Value[] {range[a], range[b], range[c]}));
                }
            }
        }
        // every subset of 1..8, the empty set included
        for (int m = 0; m < 256; m++) {
            List<Value> es = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                if ((m & (1 << k)) != 0) {
                    es.add(i(k + 1));
                }
            }
            values.add(new SetEnumValue(es.toArray(new Value[0]), true));
        }
        // records that differ in one field's value, or in which field holds it, or one level down
        values.add(rec(new String[] {"pc", "op"}, s("idle"), s("get")));
        values.add(rec(new String[] {"pc", "op"}, s("get"), s("idle")));
        values.add(rec(new String[] {"pc", "op"}, s("idle"), rec(new String[] {"kind"}, s("get"))));
        values.add(rec(new String[] {"pc", "op"}, s("idle"), rec(new String[] {"kind"}, s("getn"))));
        // a sequence and a longer one, a string that reads as a number, an empty function
        values.add(new TupleValue(new Value[] {i(1), i(2)}));
        values.add(new TupleValue(new Value[] {i(1), i(2), i(2)}));
        values.add(s("1"));
        values.add(new FcnRcdValue(new IntervalValue(1, 0), new Value[0]));

        Map<Long, Value> seen = new HashMap<>();
        for (Value v : values) {
            Value before = seen.put(StateHash.of(v), v);
            if (before != null) {
                assertEquals(before.toString(), v.toString(), "two distinct values share a hash");
            }
        }
        assertNotEquals(StateHash.of(new TupleValue(new Value[] {i(1), i(2)})),
                StateHash.of(new TupleValue(new Value[] {i(2), i(1)})));
        assertEquals(values.size(), seen.size(), "every value its own hash");
    }
}
