package eventports.tracevalidation;

import tlc2.value.impl.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How far each trace of a batch got, as TraceProgress reports every state TLC finds: the
 * furthest record index and up to three states there (values are immutable: the references are
 * kept and printed only for a rejection).
 */
public final class Furthest {
    private final int[] reached;
    private final List<List<Value>> states = new ArrayList<>();

    /** For traces 1..n (TraceProgress's numbering). */
    public Furthest(int n) {
        reached = new int[n + 1];
        Arrays.fill(reached, -1);
        for (int k = 0; k <= n; k++) {
            states.add(new ArrayList<>());
        }
    }

    public synchronized void record(int tr, int i, Value st) {
        if (i > reached[tr]) {
            reached[tr] = i;
            states.get(tr).clear();
        }
        if (i == reached[tr] && states.get(tr).size() < 3) {
            states.get(tr).add(st);
        }
    }

    public synchronized int reached(int tr) {
        return reached[tr];
    }

    public synchronized List<Value> states(int tr) {
        return List.copyOf(states.get(tr));
    }
}
