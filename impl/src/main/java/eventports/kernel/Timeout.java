package eventports.kernel;

/**
 * A relative timespec as passed to port_get / port_getn. {@code null} (no timeout) blocks;
 * {@code {0, 0}} polls; anything with a negative field or {@code nsec >= 1e9} is EINVAL when
 * the call would otherwise wait (seed P:1777-1784).
 */
public record Timeout(long sec, long nsec) {
    public static final long NANOSEC = 1_000_000_000L;
    public static final Timeout POLL = new Timeout(0, 0);

    public static Timeout ofMillis(long ms) {
        return new Timeout(ms / 1000, (ms % 1000) * 1_000_000L);
    }

    boolean zero() {
        return sec == 0 && nsec == 0;
    }

    boolean invalid() {
        return sec < 0 || nsec < 0 || nsec >= NANOSEC;
    }

    long toNanos() {
        return Math.addExact(Math.multiplyExact(sec, NANOSEC), nsec);
    }
}
