package eventports.kernel;

import eventports.sched.DetSched;
import eventports.sched.RealSched;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The descriptor layer above portfs (fio.c closeandsetf, getf/releasef; proc.h MUSTRETURN;
 * syscall.c post_syscall; fcntl.c F_DUPFD/F_DUP2FD), and issue 18 D19 (an exited process makes
 * no more calls). The conformance corpus has the same rules as scenarios; these tests hold the
 * Java API to them, on the deterministic runtime and on real threads.
 */
class DescriptorLayerTest {

    private static Errno errno(DetSched.Outcome o) {
        return assertInstanceOf(PortException.class, o.error(), "expected a PortException, got " + o).errno();
    }

    @Test
    void closeEvictsTheClosersOwnWaiterWithEbadfAndWaitsForIt() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T0", p::portCreate);
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T1", () -> p.portGet(fd, null)).kind());
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T0", () -> {
                p.close(fd);
                return 0;
            }).kind(), "closeandsetf waits for T1's reference to drain");
            assertTrue(d.sched.find("T1").runnable(), "the stale waiter was set running");
            assertEquals(Errno.EBADF, errno(d.await("T1")), "EINTR of a stale call is EBADF");
            DetSched.Outcome c = d.await("T0");
            assertTrue(c.returned() && c.error() == null, "the close completes once T1 has left: " + c);
            assertEquals(0, d.sys.portCount(), "it was the last close");
        }
    }

    @Test
    void thePortfsLayerLeavesTheWaiterToTheCloseProtocol() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS, Layer.PORTFS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T0", p::portCreate);
            d.call("T1", () -> p.portGet(fd, null));
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T0", () -> {
                p.close(fd);
                return 0;
            }).kind(), "the last close sleeps on portq_closecv while T1 is inside port_getn");
            assertEquals(Errno.EBADFD, errno(d.await("T1")));
        }
    }

    @Test
    void aPerProcessCloseEvictsOnlyTheClosingProcessesThreadsOnThatDescriptor() throws Exception {
        try (Det d = new Det(Profile.CORRECTED)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T0", p::portCreate);
            int dup = (int) d.now("T0", () -> p.dup(fd));
            Proc child = p.fork();
            d.call("A", () -> p.portGet(fd, null));        // p, on fd: evicted
            d.call("B", () -> p.portGet(dup, null));       // p, on the dup: not touched
            d.call("C", () -> child.portGet(fd, null));    // another process: not touched
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T0", () -> {
                p.close(fd);
                return 0;
            }).kind());
            assertFalse(d.sched.find("B").runnable());
            assertFalse(d.sched.find("C").runnable());
            assertEquals(Errno.EBADF, errno(d.await("A")));
            assertTrue(d.await("T0").returned());
            assertEquals(2, d.sys.portCount() + 1, "the port lives on (one port in the system)");
        }
    }

    @Test
    void aRetrieverInItsDeliveryLoopKeepsItsEventsAndTheCloseWaitsForIt() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T0", p::portCreate);
            d.now("T0", () -> {
                p.portSend(fd, 1, "a");
                return 0;
            });
            assertEquals(DetSched.Outcome.Kind.PAUSED, d.pauseAtDelivery("R", () -> p.portGet(fd, null)).kind());
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T0", () -> {
                p.close(fd);
                return 0;
            }).kind());
            PortEvent e = (PortEvent) d.await("R").value();
            assertEquals("a", e.user(), "a stale call that did not fail with EINTR keeps its result");
            assertTrue(d.await("T0").returned());
        }
    }

    @Test
    void callsThatRaceTheCloseSeeEbadf() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T0", p::portCreate);
            d.call("T1", () -> p.portGet(fd, null));
            d.call("T0", () -> {
                p.close(fd);
                return 0;
            });
            PortException e = assertThrows(PortException.class, () -> d.now("T2", () -> {
                p.portSend(fd, 1, "x");
                return 0;
            }));
            assertEquals(Errno.EBADF, e.errno(), "getf fails on a descriptor being closed");
            assertEquals(Errno.EBADF, assertThrows(PortException.class, () -> d.now("T2", () -> {
                p.close(fd);
                return 0;
            })).errno(), "a second close of it too");
        }
    }

    @Test
    void exitEndsTheProcessesThreadsWithEintrAndThenClosesEverything() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T0", p::portCreate);
            d.call("T1", () -> p.portGet(fd, null));
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("X", () -> {
                p.exit();
                return 0;
            }).kind(), "exit waits for T1 to leave its call");
            assertEquals(Errno.EINTR, errno(d.await("T1")), "exitlwps: the call ends as if signalled");
            assertTrue(d.await("X").returned());
            assertEquals(0, d.sys.portCount());
            assertEquals(java.util.List.of(), p.openFds());
        }
    }

    /** Issue 18 D19: after exit() a process could still portCreate() and fork(). */
    @Test
    void anExitedProcessMakesNoMoreCalls() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T0", p::portCreate);
            d.now("T0", () -> {
                p.exit();
                return 0;
            });
            assertTrue(p.exited());
            assertEquals(Errno.EBADF, assertThrows(PortException.class, () -> d.now("T0", p::portCreate)).errno());
            assertEquals(Errno.EBADF, assertThrows(PortException.class, p::fork).errno());
            assertEquals(Errno.EBADF, assertThrows(PortException.class, p::fdOpen).errno());
            assertEquals(Errno.EBADF, assertThrows(PortException.class, () -> d.now("T0", () -> p.dup(fd))).errno());
            assertEquals(Errno.EBADF, assertThrows(PortException.class, () -> d.now("T0", () -> {
                p.exit();
                return 0;
            })).errno(), "an exited process cannot exit again");
            assertEquals(0, d.sys.portCount(), "and it made no port after all");
        }
    }

    @Test
    void dupAndDup2FollowFcntl() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T0", p::portCreate);
            int max = Limits.ILLUMOS_DEFAULTS.fdMax();
            assertEquals(Errno.EBADF, assertThrows(PortException.class, () -> d.now("T0", () -> p.dup(99))).errno());
            assertEquals(Errno.EINVAL, assertThrows(PortException.class,
                    () -> d.now("T0", () -> p.fcntlDupfd(fd, -1))).errno());
            assertEquals(Errno.EINVAL, assertThrows(PortException.class,
                    () -> d.now("T0", () -> p.fcntlDupfd(fd, max))).errno(), "minfd not below the table size");
            int q = (int) d.now("T0", () -> p.fcntlDupfd(fd, 10));
            assertTrue(q >= 10);
            assertEquals(fd, (int) d.now("T0", () -> p.dup2(fd, fd)), "dup2 onto itself is a no-op");
            assertEquals(Errno.EBADF, assertThrows(PortException.class, () -> d.now("T0", () -> p.dup2(fd, max))).errno());
            assertEquals(Errno.EBADF, assertThrows(PortException.class, () -> d.now("T0", () -> p.dup2(fd, -1))).errno());
            assertEquals(Errno.EBADF, assertThrows(PortException.class, () -> d.now("T0", () -> p.dup2(99, q))).errno());
            d.now("T0", () -> {
                p.close(fd);
                return 0;
            });
            assertEquals(1, d.sys.portCount(), "q still holds the port");
            d.now("T0", () -> {
                p.close(q);
                return 0;
            });
            assertEquals(0, d.sys.portCount());
        }
        try (Det d = new Det(Profile.ILLUMOS, Layer.DESCRIPTORS, Limits.ILLUMOS_DEFAULTS.withFdMax(2))) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("T0", p::portCreate);
            d.now("T0", () -> p.dup(fd));
            assertEquals(Errno.EMFILE, assertThrows(PortException.class, () -> d.now("T0", () -> p.dup(fd))).errno(),
                    "a full table (ufalloc_file)");
        }
    }

    @Test
    void sendfdGivesTheReceiverTheSameOpenFile() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            Proc q = d.sys.spawn();
            int fd = (int) d.now("T0", p::portCreate);
            int got = (int) d.now("T0", () -> p.sendfd(fd, q));
            d.now("T0", () -> {
                p.close(fd);
                return 0;
            });
            d.now("U", () -> {
                q.portSend(got, 1, "x");
                return 0;
            });
            assertEquals("x", ((PortEvent) d.now("U", () -> q.portGet(got, Timeout.POLL))).user());
            assertEquals(Errno.EBADF, assertThrows(PortException.class, () -> d.now("T0", () -> p.sendfd(fd, q))).errno());
        }
    }

    /** On real threads: the closer's mustReturn wakes a thread really asleep in port_get. */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void onRealThreadsTheCloseEvictsASleepingWaiter(Profile profile) throws Exception {
        PortSystem sys = new PortSystem(profile, new RealSched());
        Proc p = sys.spawn();
        int fd = p.portCreate();
        CompletableFuture<Errno> waiter = RealThreads.getInThread(p, fd);
        // the answer is EBADF whatever the interleaving (getf fails, or the stale sleep returns)
        RealThreads.awaitWaiterInRing(p, fd);
        p.close(fd);
        assertEquals(Errno.EBADF, waiter.get(30, TimeUnit.SECONDS));
        assertEquals(0, sys.portCount());
    }
}
