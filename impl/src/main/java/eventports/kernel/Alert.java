package eventports.kernel;

/** port_alert_t: the alert record of a port (portq_alert) or a waiter's private copy. */
final class Alert {
    int portalEvents;
    /** Process that set the alert mode (portq_alert only). */
    int portalPid;
    long portalObject;
    Object portalUser;

    /** Copy the alert out as the one event of a port_getn that finds the port in alert mode. */
    void copyout(PortEvents uevp) {
        uevp.add(portalEvents, Ports.PORT_SOURCE_ALERT, portalObject, portalUser);
    }
}
