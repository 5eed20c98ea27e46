package eventports.kernel;

/**
 * An event source's callback (portkev_callback): {@code cb(arg, &events, pid, flag, kev)},
 * run in the context of {@code curproc}. With {@link Ports#PORT_CALLBACK_DEFAULT} it runs in
 * the retrieving thread just before delivery, may rewrite {@code events[0]} (the user-visible
 * value) and denies delivery by returning non-zero (port_subr.c port_init_event).
 */
@FunctionalInterface
public interface KeventCallback {
    int callback(Object arg, int[] events, int ownerPid, int flag, Kevent kev, Proc curproc);
}
