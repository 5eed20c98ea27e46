package eventports.kernel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Real-thread test steps shared by the descriptor-layer tests: a waiter in its own thread, and waiting for it to be in the ring. */
final class RealThreads {
    private RealThreads() {
    }

    /** port_get(port, NULL) by {@code p} in a daemon thread: completes with null or the call's errno. */
    static CompletableFuture<Errno> getInThread(Proc p, int port) {
        CompletableFuture<Errno> waiter = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                p.portGet(port, null);
                waiter.complete(null);
            } catch (PortException e) {
                waiter.complete(e.errno());
            }
        }, "waiter");
        t.setDaemon(true);
        t.start();
        return waiter;
    }

    /**
     * Until a waiter is in the port's ring (a state, not a time): whatever the interleaving, the
     * tests' outcome is the same, but this way the closer wakes a sleeper; the bound only keeps a
     * broken build from hanging.
     */
    static void awaitWaiterInRing(Proc p, int fd) {
        Port pp = (Port) p.file(fd).vnode();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pp.queue().snapshot().waiters() == 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
