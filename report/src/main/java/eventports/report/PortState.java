package eventports.report;

import java.util.List;

/**
 * The port after a step, in the spec's terms: the event queue and the retriever's temp list
 * (event ids, head first), the waiter ring (thread names from portq_thread), the portq flags
 * and the counters portq_nent, portq_thrcnt, portq_getn. Any part may be null: unknown (a
 * trace record carries only some counters), and the diagram shows only what is known.
 */
public record PortState(List<String> queue, List<String> temp, List<String> ring, List<String> flags,
                        Integer nent, Integer thrcnt, Integer getn) {
    public PortState {
        queue = queue == null ? null : List.copyOf(queue);
        temp = temp == null ? null : List.copyOf(temp);
        ring = ring == null ? null : List.copyOf(ring);
        flags = flags == null ? null : List.copyOf(flags);
    }

    /** Only the counters, as a trace record reports them. */
    public static PortState counters(Integer nent, Integer thrcnt, Integer getn) {
        return new PortState(null, null, null, null, nent, thrcnt, getn);
    }

    public boolean isEmpty() {
        return queue == null && temp == null && ring == null && flags == null
                && nent == null && thrcnt == null && getn == null;
    }
}
