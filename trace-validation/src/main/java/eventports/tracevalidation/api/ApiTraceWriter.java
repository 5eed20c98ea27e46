package eventports.tracevalidation.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Layer;
import eventports.kernel.Limits;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an API-level trace (trace-validation/FORMAT.md, "Level api") record by record, in the
 * order the caller observes the calls, returns, sleeps and environment inputs. The caller gives
 * each call's arguments and each return's status in the shape of conformance/PROTOCOL.md
 * (descriptors as numbers, {@code user} as given); the writer numbers the records.
 */
public final class ApiTraceWriter {
    static final ObjectMapper JSON = new ObjectMapper();

    private final List<ObjectNode> records = new ArrayList<>();

    /** A trace of a run with the descriptor layer (the default: stock illumos). */
    public ApiTraceWriter(String impl, String scenario, Limits limits) {
        this(impl, scenario, limits, Layer.DESCRIPTORS);
    }

    /**
     * A trace that starts with its header: who wrote it, for which scenario, under which limits,
     * in which layer (the descriptor layer above portfs, or portfs on its own).
     */
    public ApiTraceWriter(String impl, String scenario, Limits limits, Layer layer) {
        ObjectNode h = next("header");
        h.put("level", "api");
        h.put("version", 1);
        h.put("impl", impl);
        if (scenario != null) {
            h.put("scenario", scenario);
        }
        ObjectNode l = h.putObject("limits");
        l.put("port_max_events", limits.portMaxEvents());
        l.put("port_max_ids", limits.portMaxIds());
        l.put("port_max_list", limits.portMaxList());
        l.put("fd_max", limits.fdMax());
        h.put("layer", layer.id());
    }

    /** A fresh object for a call's arguments or a return's status fields. */
    public static ObjectNode fields() {
        return JSON.createObjectNode();
    }

    /** The thread entered call {@code op} with these arguments. */
    public void call(String thread, String proc, String op, ObjectNode args) {
        next("call").put("thread", thread).put("proc", proc).put("op", op).setAll(args);
    }

    /** The call returned with this status ({@code ret} or {@code errno}, {@code nget}, {@code events}, {@code errors}). */
    public void returned(String thread, String proc, String op, ObjectNode status) {
        next("return").put("thread", thread).put("proc", proc).put("op", op).setAll(status);
    }

    /** The thread was seen asleep in the port with nothing pending. */
    public void sleep(String thread, String proc) {
        ObjectNode r = next("sleep");
        r.put("thread", thread);
        r.put("proc", proc);
    }

    /** An input from the environment ({@code fork}, {@code fd_open}, {@code fd_ready}, …). */
    public void env(String op, ObjectNode fields) {
        ObjectNode r = next("env");
        r.put("op", op);
        r.setAll(fields);
    }

    public List<ObjectNode> records() {
        return List.copyOf(records);
    }

    public void write(Path file) throws IOException {
        ApiTraceIo.write(file, records);
    }

    /** The JSON form of a user cookie as the implementation got it (a string or an integer). */
    public static JsonNode user(Object user) {
        if (user instanceof Number) {
            return JSON.getNodeFactory().numberNode(((Number) user).longValue());
        }
        return JSON.getNodeFactory().textNode(String.valueOf(user));
    }

    private ObjectNode next(String kind) {
        ObjectNode r = JSON.createObjectNode();
        r.put("seq", records.size());
        r.put("kind", kind);
        records.add(r);
        return r;
    }
}
