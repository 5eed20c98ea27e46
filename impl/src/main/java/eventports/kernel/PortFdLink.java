package eventports.kernel;

/**
 * An entry of a descriptor's uf_portfd list (fio.c addfd_port): an FD-source association
 * recorded on the descriptor of the process that made it. close(2) of that descriptor
 * dissociates every entry before the file is closed (closeandsetf → port_close_pfd).
 */
public interface PortFdLink {
    /** port_close_pfd: the descriptor is being closed by {@code cur}. */
    void portClosePfd(Proc cur);
}
