package eventports.sources;

import eventports.kernel.Errno;
import static eventports.sources.Errnos.errno;
import eventports.kernel.GetnResult;
import eventports.kernel.Limits;
import eventports.kernel.PollEvents;
import eventports.kernel.PollObject;
import eventports.kernel.Port;
import eventports.kernel.PortEvent;
import eventports.kernel.PortException;
import eventports.kernel.PortSystem;
import eventports.kernel.Ports;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.Timeout;
import eventports.sched.DetSched;
import eventports.sched.RealSched;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static eventports.kernel.Ports.PORT_SOURCE_FD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PORT_SOURCE_FD over simulated pollable objects (port_fd.c), called sequentially. */
class PortFdSourceTest {
    private final MemorySink trace = new MemorySink();
    private final PortSystem sys = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.withPortMaxEvents(3),
            new RealSched(), trace);
    private final Proc p = sys.spawn();

    private static PollObject object(Proc p, int fd) {
        return (PollObject) p.file(fd).vnode();
    }

    private static Port port(Proc p, int fd) {
        return (Port) p.file(fd).vnode();
    }

    private static List<PortEvent> drain(Proc p, int port) throws PortException {
        GetnResult r = p.portGetn(port, 16, 1, Timeout.POLL);
        return r.events();
    }

    @Test
    void firesOncePerArmingWithTheRequestedBits() throws Exception {
        int port = p.portCreate();
        int fd = p.fdOpen();
        p.portAssociate(port, PORT_SOURCE_FD, fd, PollEvents.POLLIN, "u");
        assertEquals(List.of(), drain(p, port));
        object(p, fd).fdReady(PollEvents.POLLIN | PollEvents.POLLOUT);
        object(p, fd).fdReady(PollEvents.POLLIN);
        assertEquals(List.of(new PortEvent(PollEvents.POLLIN, PORT_SOURCE_FD, fd, "u")), drain(p, port));
        object(p, fd).fdReady(PollEvents.POLLIN);
        assertEquals(List.of(), drain(p, port), "disarmed after firing");
        p.portAssociate(port, PORT_SOURCE_FD, fd, PollEvents.POLLIN | PollEvents.POLLOUT, "v");
        assertEquals(List.of(new PortEvent(PollEvents.POLLIN | PollEvents.POLLOUT, PORT_SOURCE_FD, fd, "v")),
                drain(p, port), "still ready: the association's poll queues at once");
    }

    @Test
    void slotIsHeldForTheAssociationsLifetime() throws Exception {
        int port = p.portCreate();
        Port pp = port(p, port);
        int fd = p.fdOpen();
        p.portAssociate(port, PORT_SOURCE_FD, fd, PollEvents.POLLIN, "u");
        assertEquals(1, pp.curr());
        object(p, fd).fdReady(PollEvents.POLLIN);
        drain(p, port);
        assertEquals(1, pp.curr(), "a delivered CACHED slot stays with the association");
        p.portAssociate(port, PORT_SOURCE_FD, fd, PollEvents.POLLIN, "u");
        assertEquals(1, pp.curr(), "re-association reuses the slot");
        assertEquals(1, PortFdSource.associations(pp));
        p.portDissociate(port, PORT_SOURCE_FD, fd);
        assertEquals(0, pp.curr());
        assertEquals(0, PortFdSource.associations(pp));
    }

    @Test
    void limitGivesEagainAndNothingLeaks() throws Exception {
        int port = p.portCreate();
        int[] fds = {p.fdOpen(), p.fdOpen(), p.fdOpen(), p.fdOpen()};
        for (int i = 0; i < 3; i++) {
            p.portAssociate(port, PORT_SOURCE_FD, fds[i], PollEvents.POLLIN, i);
        }
        PortException e = assertThrows(PortException.class,
                () -> p.portAssociate(port, PORT_SOURCE_FD, fds[3], PollEvents.POLLIN, 3));
        assertEquals(Errno.EAGAIN, e.errno());
        assertEquals(3, PortFdSource.associations(port(p, port)));
    }

    @Test
    void errnosOfAssociateAndDissociate() throws Exception {
        int port = p.portCreate();
        int other = p.portCreate();
        int fd = p.fdOpen();
        assertEquals(Errno.ENOENT, errno(() -> p.portDissociate(port, PORT_SOURCE_FD, 77)), "no FD cache yet");
        assertEquals(Errno.EBADFD, errno(() -> p.portAssociate(port, PORT_SOURCE_FD, 77, PollEvents.POLLIN, 0)));
        assertEquals(Errno.EBADFD, errno(() -> p.portAssociate(port, PORT_SOURCE_FD, 1L << 31, PollEvents.POLLIN, 0)));
        p.portAssociate(port, PORT_SOURCE_FD, fd, PollEvents.POLLIN, 0);
        assertEquals(Errno.EBADFD, errno(() -> p.portDissociate(port, PORT_SOURCE_FD, 77)));
        assertEquals(Errno.ENOENT, errno(() -> p.portDissociate(port, PORT_SOURCE_FD, other)));
        Proc child = p.fork();
        assertEquals(Errno.EACCES, errno(() -> child.portDissociate(port, PORT_SOURCE_FD, fd)));
        p.portDissociate(port, PORT_SOURCE_FD, fd);
        assertEquals(Errno.ENOENT, errno(() -> p.portDissociate(port, PORT_SOURCE_FD, fd)));
        assertEquals(Errno.EINVAL, errno(() -> p.portAssociate(port, Ports.PORT_SOURCE_USER, fd, 1, 0)));
    }

    @Test
    void ownersCloseOfTheDescriptorDissociates() throws Exception {
        int port = p.portCreate();
        int fd = p.fdOpen();
        PollObject obj = object(p, fd);
        Proc child = p.fork();
        p.portAssociate(port, PORT_SOURCE_FD, fd, PollEvents.POLLIN, "u");
        child.close(fd);
        assertEquals(1, PortFdSource.associations(port(p, port)), "the child's close does not dissociate");
        obj.fdReady(PollEvents.POLLIN);
        p.close(fd);
        assertEquals(0, PortFdSource.associations(port(p, port)));
        assertEquals(List.of(), drain(p, port), "the queued event went with the association");
        assertEquals(0, port(p, port).curr());
    }

    @Test
    void perProcessAndLastCloseOfThePortRemoveAssociations() throws Exception {
        int port = p.portCreate();
        Port pp = port(p, port);
        int fd = p.fdOpen();
        Proc child = p.fork();
        int cfd = child.fdOpen();
        p.portAssociate(port, PORT_SOURCE_FD, fd, PollEvents.POLLIN, "parent");
        child.portAssociate(port, PORT_SOURCE_FD, cfd, PollEvents.POLLIN, "child");
        p.close(port);
        assertEquals(1, PortFdSource.associations(pp));
        assertEquals(1, pp.curr());
        object(child, cfd).fdReady(PollEvents.POLLIN);
        child.close(port);
        assertEquals(0, PortFdSource.associations(pp));
        assertEquals(0, sys.portCount());
    }

    @Test
    void crossProcessDeliveryNeedsTheSameOpenFile() throws Exception {
        int port = p.portCreate();
        Proc child = p.fork();
        int fd = p.fdOpen();                          // after fork: private to the parent
        p.portAssociate(port, PORT_SOURCE_FD, fd, PollEvents.POLLIN, "u");
        object(p, fd).fdReady(PollEvents.POLLIN);
        assertEquals(List.of(), drain(child, port));
        List<TraceRecord> denied = trace.records().stream().filter(r -> r.action().equals("port_fd_callback"))
                .collect(Collectors.toList());
        assertEquals(1, denied.size());
        assertEquals("EACCES", denied.get(0).get("error"));
        assertEquals(1, drain(p, port).size());
    }

    @Test
    void traceNamesTheSourcesSteps() throws Exception {
        int port = p.portCreate();
        int fd = p.fdOpen();
        p.portAssociate(port, PORT_SOURCE_FD, fd, PollEvents.POLLIN, "u");
        object(p, fd).fdReady(PollEvents.POLLIN);
        p.portDissociate(port, PORT_SOURCE_FD, fd);
        List<String> actions = trace.records().stream().map(TraceRecord::action)
                .filter(a -> a.startsWith("port_") && a.contains("fd") || a.equals("pollwakeup"))
                .collect(Collectors.toList());
        assertEquals(List.of("port_associate_fd", "pollwakeup", "port_remove_fd_object", "port_dissociate_fd"),
                actions);
    }

    @Test
    void fireWakesAWaiterOnTheDeterministicRuntime() throws Exception {
        DetSched det = new DetSched();
        try {
            PortSystem ds = new PortSystem(Profile.CORRECTED, det);
            Proc q = ds.spawn();
            int port = (int) det.call("T", q::portCreate, null).value();
            int fd = (int) det.call("T", q::fdOpen, null).value();
            det.call("T", () -> {
                q.portAssociate(port, PORT_SOURCE_FD, fd, PollEvents.POLLIN, "u");
                return 0;
            }, null);
            assertEquals(DetSched.Outcome.Kind.BLOCKED, det.call("W", () -> q.portGet(port, null), null).kind());
            object(q, fd).fdReady(PollEvents.POLLIN);          // the driver's pollwakeup
            assertTrue(det.find("W").runnable());
            assertEquals(new PortEvent(PollEvents.POLLIN, PORT_SOURCE_FD, fd, "u"), det.await("W").value());
        } finally {
            det.shutdown();
        }
    }

    @Test
    void concurrentFiringAndReassociationLoseNoArming() throws Exception {
        // real threads: producers fire objects while a consumer re-associates each delivered
        // descriptor. At the end every association must be armed or have its event queued —
        // a dissociate that says ENOENT would be a lost event.
        PortSystem rs = new PortSystem(Profile.ILLUMOS, new RealSched());
        Proc q = rs.spawn();
        int port = q.portCreate();
        int n = 32;
        int[] fds = new int[n];
        for (int i = 0; i < n; i++) {
            fds[i] = q.fdOpen();
            q.portAssociate(port, PORT_SOURCE_FD, fds[i], PollEvents.POLLIN, i);
        }
        int[] delivered = new int[1];
        Throwable[] failed = new Throwable[1];
        Thread consumer = new Thread(() -> {
            try {
                for (boolean stop = false; !stop; ) {
                    for (PortEvent e : q.portGetn(port, 16, 1, Timeout.ofMillis(20_000)).events()) {
                        if (e.source() == Ports.PORT_SOURCE_USER) {
                            stop = true;
                        } else {
                            delivered[0]++;
                            object(q, (int) e.object()).fdClear();     // consume, then re-arm
                            q.portAssociate(port, PORT_SOURCE_FD, e.object(), PollEvents.POLLIN, e.user());
                        }
                    }
                }
            } catch (Throwable t) {
                failed[0] = t;
            }
        }, "consumer");
        consumer.start();
        Thread[] producers = new Thread[4];
        for (int t = 0; t < producers.length; t++) {
            int seed = t;
            producers[t] = new Thread(() -> {
                java.util.Random rnd = new java.util.Random(seed);
                for (int k = 0; k < 3000; k++) {
                    object(q, fds[rnd.nextInt(n)]).fdReady(PollEvents.POLLIN);
                }
            }, "producer-" + t);
            producers[t].start();
        }
        for (Thread t : producers) {
            t.join(30_000);
        }
        q.portSend(port, 0, "stop");
        consumer.join(30_000);
        assertEquals(null, failed[0]);
        assertTrue(delivered[0] >= n, "every object fired at least once: " + delivered[0]);
        for (int fd : fds) {
            q.portDissociate(port, PORT_SOURCE_FD, fd);         // 0: armed or queued, never lost
        }
        assertEquals(0, port(q, port).curr());
    }

}
