package eventports.tracevalidation.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The port traces of one TLC run (one profile, one layer) as one JSON document (the child's
 * batch.json), renamed apart as the lock-level Batch does: thread T of trace k becomes "k/T", its processes k * 1000 + 1,
 * 2, …, its events, alerts and open files are numbered on from those of the traces before it.
 * Sets are written {"$set": [...]}, functions with string domains {"$fcn": [[key, value], ...]},
 * tuples as arrays, records as objects ({@link ApiChild} makes TLC values of them).
 */
final class ApiBatch {
    private static final int PID_STRIDE = 1000;
    private static final int OBJ_STRIDE = 100_000;

    private ApiBatch() {
    }

    /**
     * The batch of {@code traces}. With {@code lookahead} each call record carries the result
     * its return record gives, which the spec uses to cut behaviours early; without it (the
     * exact pass for rejected traces) the result is unknown until the return record, so the
     * furthest record reached is exactly the first one no behaviour explains.
     */
    static ObjectNode build(String profile, boolean fdLayer, List<PortTrace> traces, boolean lookahead) {
        ObjectNode b = ApiTraceWriter.JSON.createObjectNode();
        b.put("level", "api");
        b.put("profile", profile);
        ArrayNode logs = b.putArray("logs");
        ArrayNode meta = b.putArray("meta");
        ArrayNode threads = ApiTraceWriter.JSON.createArrayNode();
        ArrayNode threadProc = ApiTraceWriter.JSON.createArrayNode();
        ArrayNode script = ApiTraceWriter.JSON.createArrayNode();
        ArrayNode procs = ApiTraceWriter.JSON.createArrayNode();
        ObjectNode c = ApiTraceWriter.JSON.createObjectNode();
        ArrayNode[] perEvent = new ArrayNode[11];
        String[] names = {"evOwner", "evNoShare", "evCallAt", "evPrev", "evDisp", "evThread", "evPay", "evObj",
            "evPayObj", "fdOf", "evKind"};
        for (int j = 0; j < names.length; j++) {
            perEvent[j] = c.putArray(names[j]);
        }
        Set<String> fds = new LinkedHashSet<>();
        Set<String> timers = new LinkedHashSet<>();
        Set<String> fops = new LinkedHashSet<>();
        ArrayNode alertPay = c.putArray("alertPay");
        int evBase = 0;
        int alertBase = 0;
        int maxEvents = 0;
        for (int k = 1; k <= traces.size(); k++) {
            PortTrace t = traces.get(k - 1);
            Map<String, Integer> pid = new HashMap<>();
            for (String p : t.procs) {
                pid.put(p, k * PID_STRIDE + pid.size() + 1);
                procs.add(k * PID_STRIDE + pid.size());
            }
            ArrayNode own = ApiTraceWriter.JSON.createArrayNode();
            for (Map.Entry<String, String> e : t.threads.entrySet()) {
                String name = k + "/" + e.getKey();
                own.add(name);
                threads.add(name);
                threadProc.add(pair(name, pid.get(e.getValue())));
                script.add(pair(name, ApiTraceWriter.JSON.createArrayNode()));
            }
            ArrayNode log = logs.addArray();
            for (ObjectNode r : t.recs) {
                ObjectNode o = rename(r, k, evBase, alertBase, pid);
                if (!lookahead && o.get("k").asText().equals("call")) {
                    ((ObjectNode) o.get("x")).put("err", "?");
                }
                log.add(o);
            }
            for (int e = 1; e <= t.events.size(); e++) {
                PortTrace.Ev ev = t.events.get(e - 1);
                int g = evBase + e;
                perEvent[0].add(pid.get(ev.owner));
                perEvent[1].add(ev.noshare);
                perEvent[2].add(ev.callAt);
                perEvent[3].add(ev.prev == 0 ? 0 : evBase + ev.prev);
                perEvent[4].add(ev.disp);
                perEvent[5].add(k + "/" + ev.thread);
                perEvent[6].add(ev.pay != null ? ev.pay : ApiFields.payload(0, 0, "", ""));
                perEvent[7].add(ev.kind.equals("fd") || ev.kind.equals("file") ? k * OBJ_STRIDE + ev.obj : 0);
                perEvent[8].add(ev.payObj);
                // EventPort's FdOf: an FD or timer slot's own; a FILE key's slots share one (the
                // key's object), so that the key has one live watch at a time
                String fd = switch (ev.kind) {
                    case "fd", "timer" -> ev.kind + g;
                    case "file" -> "file" + (k * OBJ_STRIDE + ev.obj);
                    default -> "";
                };
                perEvent[9].add(fd);
                perEvent[10].add(ev.kind);
                if (!fd.isEmpty()) {
                    fds.add(fd);
                }
                if (ev.kind.equals("timer")) {
                    timers.add(fd);
                }
                if (ev.kind.equals("file")) {
                    fops.add(fd);
                }
            }
            t.alerts.forEach(alertPay::add);
            ObjectNode m = meta.addObject();
            m.put("creator", pid.get(t.creator));
            m.put("creatorFd", t.creatorFd);
            m.put("firstEv", evBase + 1);
            m.put("lastEv", evBase + t.events.size());
            m.set("threads", set(own));
            m.put("maxEvents", t.maxEvents);
            ArrayNode objs = ApiTraceWriter.JSON.createArrayNode();
            final int kk = k;
            t.objs.forEach(o -> objs.add(kk * OBJ_STRIDE + o));
            m.set("objs", set(objs));
            ArrayNode portObjs = ApiTraceWriter.JSON.createArrayNode();
            t.portObjs.forEach(o -> portObjs.add(kk * OBJ_STRIDE + o));
            m.set("portObjs", set(portObjs));
            m.put("polled", t.polled);
            ArrayNode fileObjs = ApiTraceWriter.JSON.createArrayNode();
            t.fileObjs.forEach(o -> fileObjs.add(kk * OBJ_STRIDE + o));
            m.set("fileObjs", set(fileObjs));
            evBase += t.events.size();
            alertBase += t.alerts.size();
            maxEvents = Math.max(maxEvents, t.maxEvents);
        }
        c.set("threads", set(threads));
        c.set("threadProc", fcn(threadProc));
        c.set("script", fcn(script));
        c.set("procs", set(procs));
        c.put("numEvents", evBase);
        c.put("maxEvents", maxEvents);
        c.set("ops", set(ApiTraceWriter.JSON.createArrayNode()));
        c.put("profile", profile);
        c.put("fdLayer", fdLayer);
        c.set("fds", set(strings(fds)));
        c.set("timers", set(strings(timers)));
        c.set("fops", set(strings(fops)));
        b.set("const", c);
        return b;
    }

    /** A record of trace k with its threads, processes, events, alerts and files renamed into the batch. */
    private static ObjectNode rename(ObjectNode r, int k, int evBase, int alertBase, Map<String, Integer> pid) {
        ObjectNode o = r.deepCopy();
        if (o.has("t")) {
            o.put("t", k + "/" + o.get("t").asText());
        }
        for (String f : new String[] {"child", "pid", "to"}) {
            if (o.has(f)) {
                o.put(f, pid.get(o.get(f).asText()));
            }
        }
        if (o.has("e")) {
            o.put("e", evBase + o.get("e").asInt());
        }
        if (o.has("obj")) {
            o.put("obj", k * OBJ_STRIDE + o.get("obj").asInt());
        }
        if (o.has("evs")) {
            ArrayNode evs = ApiTraceWriter.JSON.createArrayNode();
            o.get("evs").forEach(e -> evs.add(evBase + e.asInt()));
            o.set("evs", evs);
        }
        JsonNode op = o.get("op");
        if (op != null && op.get("kind").asText().equals("alert")) {
            ((ObjectNode) op).put("aval", alertBase + op.get("aval").asInt());
        }
        return o;
    }

    private static ArrayNode pair(String key, Object v) {
        ArrayNode a = ApiTraceWriter.JSON.createArrayNode();
        a.add(key);
        if (v instanceof JsonNode) {
            a.add((JsonNode) v);
        } else {
            a.add((Integer) v);
        }
        return a;
    }

    private static ArrayNode strings(Set<String> elems) {
        ArrayNode a = ApiTraceWriter.JSON.createArrayNode();
        elems.forEach(a::add);
        return a;
    }

    private static ObjectNode set(ArrayNode elems) {
        ObjectNode s = ApiTraceWriter.JSON.createObjectNode();
        s.set("$set", elems);
        return s;
    }

    private static ObjectNode fcn(ArrayNode pairs) {
        ObjectNode s = ApiTraceWriter.JSON.createObjectNode();
        s.set("$fcn", pairs);
        return s;
    }
}
