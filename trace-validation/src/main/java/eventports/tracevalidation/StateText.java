package eventports.tracevalidation;

import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A TLC value as text that does not depend on the JVM's history. TLC orders record fields, set
 * elements and function domains by when each string was first interned, so the same state
 * prints differently in a fresh JVM and in a warm server that met the names in another order
 * (WarmTlc). Here fields are in name order, set elements and function entries in the order of
 * their keys (numbers by value, anything else by its text); tuples keep theirs.
 */
public final class StateText {
    private StateText() {
    }

    public static String of(Value v) {
        if (v instanceof RecordValue) {
            RecordValue r = (RecordValue) v;
            List<String[]> fs = new ArrayList<>();
            for (int i = 0; i < r.names.length; i++) {
                fs.add(new String[] {r.names[i].toString(), of(r.values[i])});
            }
            fs.sort(Comparator.comparing(f -> f[0]));
            List<String> parts = new ArrayList<>();
            fs.forEach(f -> parts.add(f[0] + " |-> " + f[1]));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof FcnRcdValue) {
            FcnRcdValue f = (FcnRcdValue) v;
            List<Value[]> es = new ArrayList<>();
            for (int i = 0; i < f.values.length; i++) {
                Value key = f.domain != null ? f.domain[i] : IntValue.gen(f.intv.low + i);
                es.add(new Value[] {key, f.values[i]});
            }
            es.sort((a, b) -> compareKeys(a[0], b[0]));
            if (es.isEmpty()) {
                return "<<>>";
            }
            List<String> parts = new ArrayList<>();
            es.forEach(e -> parts.add(of(e[0]) + " :> " + of(e[1])));
            return "(" + String.join(" @@ ", parts) + ")";
        }
        if (v instanceof SetEnumValue) {
            SetEnumValue s = (SetEnumValue) v;
            List<Value> es = new ArrayList<>();
            for (int i = 0; i < s.elems.size(); i++) {
                es.add(s.elems.elementAt(i));
            }
            es.sort(StateText::compareKeys);
            List<String> parts = new ArrayList<>();
            es.forEach(e -> parts.add(of(e)));
            return "{" + String.join(", ", parts) + "}";
        }
        if (v instanceof TupleValue) {
            List<String> parts = new ArrayList<>();
            for (Value e : ((TupleValue) v).elems) {
                parts.add(of(e));
            }
            return "<<" + String.join(", ", parts) + ">>";
        }
        return v.toString();
    }

    private static int compareKeys(Value a, Value b) {
        if (a instanceof IntValue && b instanceof IntValue) {
            return Integer.compare(((IntValue) a).val, ((IntValue) b).val);
        }
        return of(a).compareTo(of(b));
    }
}
