package eventports.kernel;

/** port_alert_t: the alert record of a port (portq_alert) or a waiter's private copy. */
final class Alert {
    int portalEvents;
    /** Process that set the alert mode (portq_alert only). */
    int portalPid;
    long portalObject;
    Object portalUser;

    PortEvent toEvent() {
        return new PortEvent(portalEvents, Ports.PORT_SOURCE_ALERT, portalObject, portalUser);
    }
}
