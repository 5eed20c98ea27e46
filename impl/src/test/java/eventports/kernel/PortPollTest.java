package eventports.kernel;

import eventports.sched.RealSched;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static eventports.kernel.Ports.PORT_SOURCE_FD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Port polling on real threads (port_vnops.c port_poll; the corpus' port-poll-* and
 * port-nested-* scenarios pin the interleavings down on the deterministic runtime): a port
 * watching another is woken across threads, readiness reflects the queue and the slots, and
 * ports watching each other in a ring neither deadlock nor lose the armed association's
 * event under concurrent sends, retrievals and re-associations.
 */
class PortPollTest {
    private final PortSystem sys = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.withPortMaxEvents(4),
            new RealSched(), null);
    private final Proc p = sys.spawn();

    private static Port port(Proc p, int fd) {
        return (Port) p.file(fd).vnode();
    }

    @Test
    void readinessIsTheQueueAndTheSlotsNotTheAlert() throws Exception {
        int fd = p.portCreate();
        Port pp = port(p, fd);
        assertEquals(PollEvents.POLLOUT, pp.vopPoll(p, PollEvents.POLLIN | PollEvents.POLLOUT));
        p.portAlert(fd, Ports.PORT_ALERT_SET, 1, "a");
        assertEquals(0, pp.vopPoll(p, PollEvents.POLLIN), "alert mode is not POLLIN");
        assertTrue(pp.queue().flag(Ports.PORTQ_POLLIN), "the poller that found nothing is remembered");
        p.portAlert(fd, 0, 0, null);
        for (int i = 0; i < 4; i++) {
            p.portSend(fd, i, "u");
        }
        assertTrue(!pp.queue().flag(Ports.PORTQ_POLLIN), "port_send_event cleared PORTQ_POLLIN");
        assertEquals(PollEvents.POLLIN, pp.vopPoll(p, PollEvents.POLLIN | PollEvents.POLLOUT), "full: no POLLOUT");
        assertEquals(0, pp.vopPoll(p, PollEvents.POLLOUT));
        assertTrue(pp.queue().flag(Ports.PORTQ_POLLOUT));
        p.portGet(fd, Timeout.POLL);
        assertTrue(!pp.queue().flag(Ports.PORTQ_POLLOUT), "the freed slot cleared PORTQ_POLLOUT");
    }

    @Test
    void aSendOnTheInnerPortWakesAThreadWaitingOnTheOuterOne() throws Exception {
        int inner = p.portCreate();
        int outer = p.portCreate();
        p.portAssociate(outer, PORT_SOURCE_FD, inner, PollEvents.POLLIN, "watch");
        PortEvent[] got = new PortEvent[1];
        Thread waiter = new Thread(() -> {
            try {
                got[0] = p.portGet(outer, null);
            } catch (PortException e) {
                throw new AssertionError(e);
            }
        });
        waiter.start();
        p.portSend(inner, 9, "x");
        waiter.join(60_000);
        assertTrue(!waiter.isAlive(), "the waiter on the outer port was woken");
        assertEquals(new PortEvent(PollEvents.POLLIN, PORT_SOURCE_FD, inner, "watch"), got[0]);
    }

    /**
     * Three ports watch each other in a ring (each FD-associated with the next); threads send
     * to them, drain them and re-associate at random. Nothing may deadlock (the lock order of
     * the kernel's package note, across nesting), and at the end every port still accounts
     * for its slots: the associations' CACHED slots plus whatever is queued.
     */
    @Test
    void portsWatchingEachOtherInARingDoNotDeadlock() throws Exception {
        PortSystem big = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS, new RealSched(), null);
        Proc q = big.spawn();
        int[] fds = {q.portCreate(), q.portCreate(), q.portCreate()};
        for (int i = 0; i < 3; i++) {
            q.portAssociate(fds[i], PORT_SOURCE_FD, fds[(i + 1) % 3], PollEvents.POLLIN, i);
        }
        // a thread that dies (an errno, or the core's own list check) fails the test at once with
        // its cause; the others would otherwise wait on the locks it held and look deadlocked
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                java.util.Random rnd = new java.util.Random(seed);
                try {
                    for (int n = 0; n < 400; n++) {
                        int i = rnd.nextInt(3);
                        switch (rnd.nextInt(3)) {
                            case 0: q.portSend(fds[i], n, "s"); break;
                            case 1: q.portGetn(fds[i], 8, 1, Timeout.POLL); break;
                            default: q.portAssociate(fds[i], PORT_SOURCE_FD, fds[(i + 1) % 3], PollEvents.POLLIN, i);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            th.setDaemon(true);
            ts.add(th);
        }
        ts.forEach(Thread::start);
        long deadline = System.nanoTime() + 120_000_000_000L;
        for (Thread t : ts) {
            while (t.isAlive() && failure.get() == null && System.nanoTime() < deadline) {
                t.join(100);
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a ring thread failed", failure.get());
        }
        for (Thread t : ts) {
            assertTrue(!t.isAlive(), "a thread is stuck: deadlock across nested ports");
        }
        // drain: the associations' events and every USER event. A pass may move an event to a
        // port drained before it: a retrieval that ends with PORTQ_POLLIN set wakes the port's
        // pollers whether or not it left events (port.c:1511-1521), which fires an armed
        // association watching it. Each such firing disarms one association, so passes end.
        boolean moved = true;
        for (int pass = 0; moved; pass++) {
            assertTrue(pass < 10, "draining never ends: events keep moving between the ports");
            moved = false;
            for (int fd : fds) {
                while (q.portGetn(fd, 64, 1, Timeout.POLL).nget() > 0) {
                    moved = true;
                }
            }
        }
        for (int fd : fds) {
            Port pp = port(q, fd);
            assertEquals(0, pp.queue().snapshot().nent(), "drained");
            assertEquals(1, pp.curr(), "only the association's CACHED slot is still allocated");
        }
    }
}
