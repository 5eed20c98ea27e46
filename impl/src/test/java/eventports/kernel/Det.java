package eventports.kernel;

import eventports.sched.DetSched;
import eventports.trace.MemorySink;

import java.util.concurrent.Callable;

/** Test harness: a PortSystem on the deterministic runtime, with one-line call helpers. */
final class Det implements AutoCloseable {
    final DetSched sched = new DetSched();
    final MemorySink trace = new MemorySink();
    final PortSystem sys;

    Det(Profile profile) {
        this(profile, Limits.ILLUMOS_DEFAULTS);
    }

    Det(Profile profile, Limits limits) {
        this(profile, Layer.DESCRIPTORS, limits);
    }

    Det(Profile profile, Layer layer) {
        this(profile, layer, Limits.ILLUMOS_DEFAULTS);
    }

    Det(Profile profile, Layer layer, Limits limits) {
        sys = new PortSystem(profile, layer, limits, sched, trace);
    }

    DetSched.Outcome call(String thread, Callable<?> body) {
        return sched.call(thread, body, null);
    }

    DetSched.Outcome pauseAtDelivery(String thread, Callable<?> body) {
        return sched.call(thread, body, "delivery");
    }

    /** Run a call that must return, and give its value (rethrowing what it threw). */
    Object now(String thread, Callable<?> body) throws Exception {
        DetSched.Outcome o = call(thread, body);
        if (!o.returned()) {
            throw new AssertionError(thread + " did not return: " + o.kind());
        }
        if (o.error() instanceof Exception) {
            throw (Exception) o.error();
        }
        if (o.error() != null) {
            throw new AssertionError(o.error());
        }
        return o.value();
    }

    DetSched.Outcome await(String thread) {
        return sched.await(thread);
    }

    /** Run {@code body} as {@code thread} with the port's mutex held (for ring-level tests). */
    Object locked(String thread, Port pp, Callable<?> body) throws Exception {
        return now(thread, () -> {
            pp.portQueue.portqMutex.enter();
            try {
                return body.call();
            } finally {
                pp.portQueue.portqMutex.exit();
            }
        });
    }

    /** Thread S sends one USER event per user, in order (events 1). */
    void sendUsers(Proc p, int fd, String... users) throws Exception {
        for (String u : users) {
            now("S", () -> {
                p.portSend(fd, 1, u);
                return 0;
            });
        }
    }

    static Port port(Proc p, int fd) throws PortException {
        return PortFs.getPort(p, fd);
    }

    @Override
    public void close() {
        sched.shutdown();
    }
}
