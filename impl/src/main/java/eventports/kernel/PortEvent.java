package eventports.kernel;

/** port_event_t as user space receives it (sys/port.h). */
public record PortEvent(int events, int source, long object, Object user) {
    @Override
    public String toString() {
        return "{" + Ports.sourceName(source) + " events=" + events + " object=" + object + " user=" + user + "}";
    }
}
