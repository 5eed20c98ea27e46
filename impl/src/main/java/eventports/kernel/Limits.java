package eventports.kernel;

/**
 * Resource limits (port_kernel.h, port_subr.c): {@code process.max-port-events} (per port, snapshot
 * at port_create), {@code project.max-port-ids} (compared with the system-wide port count + 1),
 * {@code port_max_list} (entries per port_sendn), and the descriptor-table size (EMFILE).
 */
public record Limits(int portMaxEvents, int portMaxIds, int portMaxList, int fdMax) {
    public static final Limits ILLUMOS_DEFAULTS = new Limits(65536, 8192, 8192, 65536);

    public Limits {
        if (portMaxEvents < 0 || portMaxIds < 0 || portMaxList < 0 || fdMax < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    public Limits withPortMaxEvents(int v) {
        return new Limits(v, portMaxIds, portMaxList, fdMax);
    }

    public Limits withPortMaxIds(int v) {
        return new Limits(portMaxEvents, v, portMaxList, fdMax);
    }

    public Limits withPortMaxList(int v) {
        return new Limits(portMaxEvents, portMaxIds, v, fdMax);
    }

    public Limits withFdMax(int v) {
        return new Limits(portMaxEvents, portMaxIds, portMaxList, v);
    }
}
