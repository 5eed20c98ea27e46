package eventports.kernel;

import eventports.sched.DetSched;
import eventports.sched.RealSched;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the kernel offers a pollable object that is not a port (the event sources' side of
 * PORT_SOURCE_FD): VOP_CLOSE with the open file's count before close(2)'s decrement, the
 * armed parties' interest on a pollhead, and fd_open's object's readiness. The scenarios reach
 * these only through ports (issue 19: PIT's mutants survived or were not covered; the NIO
 * source's own tests, which use them, are not among the tests PIT runs).
 */
class PollableObjectsTest {

    /** A pollable object that records the counts its VOP_CLOSE is called with. */
    private static class Recording implements Pollable {
        final List<Integer> closes = new ArrayList<>();
        final PollHead ph;

        Recording(PortSystem sys) {
            ph = new PollHead(sys.sched, "recording");
        }

        @Override
        public int vopPoll(Proc cur, int events) {
            return 0;
        }

        @Override
        public PollHead pollhead() {
            return ph;
        }

        @Override
        public void vopClose(int count) {
            closes.add(count);
        }
    }

    @Test
    void vopCloseSeesTheOpenFilesCountBeforeEachClosesDecrement() throws Exception {
        PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
        Proc p = sys.spawn();
        Recording obj = new Recording(sys);
        int fd = p.fdOpen(obj);
        int dup = p.dup(fd);
        Proc child = p.fork();                                          // the child gets both
        p.close(dup);
        child.close(fd);
        p.close(fd);
        child.close(dup);
        assertEquals(List.of(4, 3, 2, 1), obj.closes, "one VOP_CLOSE per close(2), the last with count 1");
    }

    /** An object whose VOP_CLOSE dies (where illumos would panic) when it is given {@code count}. */
    private static Recording dyingInVopClose(PortSystem sys, int dyingCount) {
        return new Recording(sys) {
            @Override
            public void vopClose(int count) {
                super.vopClose(count);
                if (count == dyingCount) {
                    throw new IllegalStateException("VOP_CLOSE failed");
                }
            }
        };
    }

    /**
     * Proc.syscall's rescue on real threads: a VOP_CLOSE that dies with an unchecked exception
     * (where illumos would panic) does so holding f_tlock; the call's mutexes are released, so
     * the open file's next close (of a dup) completes instead of finding f_tlock held.
     */
    @Test
    void aCloseThatDiedInVopCloseDoesNotWedgeTheOpenFile() throws Exception {
        PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
        Proc p = sys.spawn();
        Recording obj = dyingInVopClose(sys, 2);
        int fd = p.fdOpen(obj);
        int dup = p.dup(fd);
        assertThrows(IllegalStateException.class, () -> p.close(fd));
        p.close(dup);
        assertEquals(List.of(2, 1), obj.closes);
    }

    /** exit(2)'s closeall dies the same way: the rescue covers exit too (Proc.exit). */
    @Test
    void anExitThatDiedInVopCloseDoesNotWedgeTheOpenFile() throws Exception {
        PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
        Proc p = sys.spawn();
        Recording obj = dyingInVopClose(sys, 2);
        int fd = p.fdOpen(obj);
        Proc child = p.fork();
        assertThrows(IllegalStateException.class, p::exit);
        child.close(fd);
        assertEquals(List.of(2, 1), obj.closes);
    }

    /** An object whose VOP_CLOSE makes a call: port_send of a "closed" event on {@code port}, as {@code p}. */
    private static Recording sendingOnClose(PortSystem sys, Proc p, int port) {
        return new Recording(sys) {
            @Override
            public void vopClose(int count) {
                super.vopClose(count);
                try {
                    p.portSend(port, 1, "closed");
                } catch (PortException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /**
     * An event source's VOP_CLOSE may itself make a call (here port_send on another port): a
     * call made inside close(2)'s call, by the same thread. Its entry and exit leave the outer
     * call's bookkeeping alone, so after the close the process counts the right threads in
     * calls: exit(2) still waits for its other thread asleep in port_get, whose call ends with
     * exitlwps' EINTR (not EBADF: exit does not close the port under a call it waits for).
     */
    @Test
    void aCallMadeInsideACloseLeavesTheProcessesThreadsCountedRight() throws Exception {
        PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
        Proc p = sys.spawn();
        int port = p.portCreate();
        int fd = p.fdOpen(sendingOnClose(sys, p, port));
        p.close(fd);
        assertEquals("closed", p.portGet(port, Timeout.POLL).user());
        java.util.concurrent.CompletableFuture<Errno> waiter = RealThreads.getInThread(p, port);
        RealThreads.awaitWaiterInRing(p, port);
        java.util.concurrent.CompletableFuture<Void> exit = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                p.exit();
            } catch (PortException e) {
                throw new IllegalStateException(e);
            }
        });
        exit.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(Errno.EINTR, waiter.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, sys.portCount());
    }

    /**
     * The same on the deterministic runtime, where the order is fixed: exit(2) waits for the
     * thread asleep in port_get only if the call made inside close(2) left the count of threads
     * in calls alone (on real threads a miscount can lose that race and still pass).
     */
    @Test
    void aCallMadeInsideACloseLeavesTheCountRightDeterministically() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int port = (int) d.now("A", p::portCreate);
            int fd = (int) d.now("A", () -> p.fdOpen(sendingOnClose(d.sys, p, port)));
            d.now("A", () -> {
                p.close(fd);
                return 0;
            });
            assertEquals("closed", ((PortEvent) d.now("A", () -> p.portGet(port, Timeout.POLL))).user());
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("W", () -> p.portGet(port, null)).kind());
            DetSched.Outcome exit = d.call("X", () -> {
                p.exit();
                return 0;
            });
            assertEquals(DetSched.Outcome.Kind.BLOCKED, exit.kind(), "exit waits for W to leave its call");
            DetSched.Outcome w = d.await("W");
            assertTrue(w.error() instanceof PortException e && e.errno() == Errno.EINTR, "W: " + w);
            assertTrue(d.await("X").returned());
            assertEquals(0, d.sys.portCount());
        }
    }

    /** A party with a fixed interest, armed or not. */
    private record Party(int pdEvents, boolean pdArmed) implements PollHead.Polldat {
        @Override
        public Port pollnotify(int events) {
            return null;
        }
    }

    @Test
    void armedInterestIsTheUnionOfTheArmedPartiesInterest() {
        PollHead ph = new PollHead(new RealSched(), "ph");
        assertEquals(0, ph.armedInterest(), "nobody");
        ph.polldatAssociate(new Party(PollEvents.POLLIN, true));
        ph.polldatAssociate(new Party(PollEvents.POLLOUT, false));
        Party pri = new Party(PollEvents.POLLPRI, true);
        ph.polldatAssociate(pri);
        assertEquals(PollEvents.POLLIN | PollEvents.POLLPRI, ph.armedInterest());
        ph.pollheadDelete(pri);
        assertEquals(PollEvents.POLLIN, ph.armedInterest());
    }

    @Test
    void anFdOpenObjectIsReadyWithWhatItWasMadeReadyWithUntilCleared() throws Exception {
        PortSystem sys = new PortSystem(Profile.ILLUMOS, new RealSched());
        Proc p = sys.spawn();
        PollObject obj = (PollObject) p.file(p.fdOpen()).vnode();
        assertEquals(0, obj.readyEvents());
        obj.fdReady(PollEvents.POLLIN);
        obj.fdReady(PollEvents.POLLOUT);
        assertEquals(PollEvents.POLLIN | PollEvents.POLLOUT, obj.readyEvents());
        obj.fdClear();
        assertEquals(0, obj.readyEvents());
    }
}
