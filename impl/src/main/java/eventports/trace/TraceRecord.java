package eventports.trace;

import java.util.Map;

/**
 * One step of the protocol as the core performed it: {@code action} is the name of the spec
 * action (and of the Java method) that made it, {@code seq} its position in the total order
 * of all steps, taken inside the critical section the step describes.
 */
public record TraceRecord(long seq, String action, String thread, int pid, int port, Map<String, Object> fields) {
    public Object get(String key) {
        return fields.get(key);
    }

    public int getInt(String key) {
        Object v = fields.get(key);
        return v == null ? 0 : ((Number) v).intValue();
    }
}
