package eventports.tracevalidation.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.tracevalidation.Furthest;
import eventports.tracevalidation.TlcBatch;
import eventports.tracevalidation.TlcChild;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import util.UniqueString;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The API level inside the TLC child JVM: makes TLC values of the batch {@link ApiBatch} wrote,
 * runs spec/ApiTraceEventPort.tla over them (BFS) and writes result.json: per trace the
 * furthest number of records any behaviour consumed and up to three states there.
 */
public final class ApiChild extends TlcBatch implements TlcChild.Level {
    /** The variables ApiProgressInv reports, in its order. */
    static final List<String> STATE = List.of("queue", "temp", "qflags", "thrcnt", "getn", "curr", "ring", "refs",
            "th", "sig", "evState", "fdAssoc", "api", "rdy", "fdv");
    private Furthest furthest;
    /** Per trace: distinct states TLC found (the invariant reports each once). */
    private long[] states;

    @Override
    public int run(Path dir, JsonNode batch) throws IOException {
        logs = value(batch.get("logs"));
        meta = value(batch.get("meta"));
        constants = value(batch.get("const"));
        int n = batch.get("logs").size();
        furthest = new Furthest(n);
        states = new long[n + 1];
        TlcChild.copySpec(dir, List.of("EventPort.tla", "TraceEventPort.tla", "ApiTraceEventPort.tla",
                "ApiTraceEventPort.cfg"));
        int ec = TlcChild.runTlc(dir, java.util.concurrent.CompletableFuture.completedFuture(this), "ApiTraceEventPort", "ApiTraceEventPort.cfg", List.of());
        if (ec != 0) {
            return 2;
        }
        ArrayNode res = ApiTraceWriter.JSON.createArrayNode();
        for (int k = 1; k <= n; k++) {
            ObjectNode o = res.addObject();
            o.put("reached", furthest.reached(k));
            boolean accepted = furthest.reached(k) >= batch.get("logs").get(k - 1).size();
            o.put("accepted", accepted);
            o.put("distinct", states[k]);
            ArrayNode st = o.putArray("states");
            for (Value v : accepted ? List.<Value>of() : furthest.states(k)) {
                st.add(show((TupleValue) v));
            }
        }
        ApiTraceWriter.JSON.writeValue(dir.resolve("result.json").toFile(), res);
        return 0;
    }

    @Override
    public synchronized void progress(int tr, int i, Value st) {
        states[tr]++;
        furthest.record(tr, i, st);
    }

    /** A reported state as "var = value" lines (ApiProgressInv's tuple, named). */
    private static String show(TupleValue st) {
        StringBuilder b = new StringBuilder();
        for (int n = 0; n < STATE.size(); n++) {
            b.append(n == 0 ? "" : ", ").append(STATE.get(n)).append(" = ").append(eventports.tracevalidation.StateText.of(st.elems[n]));
        }
        return b.toString();
    }

    /** A TLC value of ApiBatch's JSON: {"$set"}, {"$fcn"}, arrays (tuples), objects (records). */
    static Value value(JsonNode j) {
        if (j.isBoolean()) {
            return j.asBoolean() ? BoolValue.ValTrue : BoolValue.ValFalse;
        }
        if (j.isIntegralNumber()) {
            return IntValue.gen(j.asInt());
        }
        if (j.isTextual()) {
            return new StringValue(j.asText());
        }
        if (j.isArray()) {
            Value[] vs = new Value[j.size()];
            for (int n = 0; n < vs.length; n++) {
                vs[n] = value(j.get(n));
            }
            return new TupleValue(vs);
        }
        if (j.has("$set")) {
            Value[] vs = new Value[j.get("$set").size()];
            for (int n = 0; n < vs.length; n++) {
                vs[n] = value(j.get("$set").get(n));
            }
            return new SetEnumValue(vs, false).normalize();
        }
        if (j.has("$fcn")) {
            JsonNode ps = j.get("$fcn");
            Value[] dom = new Value[ps.size()];
            Value[] rng = new Value[ps.size()];
            for (int n = 0; n < dom.length; n++) {
                dom[n] = value(ps.get(n).get(0));
                rng[n] = value(ps.get(n).get(1));
            }
            return new FcnRcdValue(dom, rng, false).normalize();
        }
        List<UniqueString> names = new ArrayList<>();
        List<Value> vals = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = j.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            names.add(UniqueString.uniqueStringOf(f.getKey()));
            vals.add(value(f.getValue()));
        }
        return new RecordValue(names.toArray(new UniqueString[0]), vals.toArray(new Value[0]), false).normalize();
    }
}
