package eventports.kernel;

import java.util.List;

/** A successful port_getn: {@code *nget} as user space sees it, and the events written. */
public record GetnResult(int nget, List<PortEvent> events) {
}
