package eventports.kernel;

import eventports.sched.DetSched;
import eventports.sched.RealSched;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The descriptor layer's references (fio.c getf / releasef, t_activefd) where a call holds
 * them across a sleep, and MUSTRETURN's end with the call (post_syscall's clear_stale_fd).
 * Issue 19: PIT's mutants of these survived the corpus, whose calls drop their reference at
 * syscall exit right after the sleep.
 */
class DescriptorRefsTest {

    private static Errno errno(DetSched.Outcome o) {
        return assertInstanceOf(PortException.class, o.error(), "expected a PortException, got " + o).errno();
    }

    /**
     * fcntl.c F_DUP2FD counts fd2's new reference and drops getf's on fd before it closes what
     * fd2 referred to, which may sleep: a close(fd) meanwhile finds no call holding fd and does
     * not wait for the dup2 (nor marks it stale).
     */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void aDup2WaitingToCloseItsTargetNoLongerHoldsItsSource(Profile profile) throws Exception {
        try (Det d = new Det(profile)) {
            Proc p = d.sys.spawn();
            int a = (int) d.now("T0", p::portCreate);
            int b = (int) d.now("T0", p::portCreate);
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T1", () -> p.portGet(b, null)).kind());
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T2", () -> p.dup2(a, b)).kind(),
                    "dup2 waits for T1's reference on b to drain");
            DetSched.Outcome close = d.call("T3", () -> {
                p.close(a);
                return 0;
            });
            assertTrue(close.returned() && close.error() == null, "close(a) does not wait for the dup2: " + close);
            assertEquals(Errno.EBADF, errno(d.await("T1")), "T1's port_get on b was evicted by the dup2");
            DetSched.Outcome dup2 = d.await("T2");
            assertEquals(b, dup2.value(), "dup2 returns fd2: " + dup2);
            assertEquals(1, d.sys.portCount(), "port a lives on at b; port b's last close is done");
            assertEquals(0, (int) d.now("T0", () -> p.dup2(b, 0)), "0 is a descriptor number dup2 may name");
            d.sendUsers(p, 0, "via 0");
            assertEquals("via 0", ((PortEvent) d.now("T0", () -> p.portGet(b, Timeout.POLL))).user());
        }
    }

    /**
     * exit(2) by a thread that has made calls in the process (it has a KThread there, not in a
     * call) waits for every other thread in a call, as exit by a fresh thread does: the waiter's
     * call ends with exitlwps' EINTR before closeall closes its port (a close under it would
     * make it EBADF), T2's second call as surely as a first. Before that, a close in the same
     * process waited for a reference to drain:
     * the two waits (uf_closing_cv, the exit cv) keep their own counts.
     */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void exitByAThreadThatMadeCallsWaitsForTheOthersAfterACloseWaited(Profile profile) throws Exception {
        try (Det d = new Det(profile)) {
            Proc p = d.sys.spawn();
            int a = (int) d.now("X", p::portCreate);
            int b = (int) d.now("T2", p::portCreate);                     // T2's next call blocks
            d.call("T1", () -> p.portGet(a, null));
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("X", () -> {
                p.close(a);
                return 0;
            }).kind(), "close(a) waits for T1's reference");
            assertEquals(Errno.EBADF, errno(d.await("T1")));
            assertTrue(d.await("X").returned());
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T2", () -> p.portGet(b, null)).kind());
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("X", () -> {
                p.exit();
                return 0;
            }).kind(), "exit waits for T2 to leave its call");
            assertEquals(Errno.EINTR, errno(d.await("T2")), "exitlwps ended T2's call before closeall closed b");
            DetSched.Outcome exit = d.await("X");
            assertTrue(exit.returned() && exit.error() == null, "exit completes: " + exit);
            assertEquals(0, d.sys.portCount());
        }
    }

    /**
     * The Java API lets one thread make calls in several processes (a thread of illumos has one):
     * each process's close sees it among that process's threads in a call, so a close in the
     * second process evicts it as it would a thread of its own.
     */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void aThreadWithCallsInTwoProcessesIsEvictedByACloseInEither(Profile profile) throws Exception {
        try (Det d = new Det(profile)) {
            Proc p = d.sys.spawn();
            Proc q = d.sys.spawn();
            d.now("T", p::portCreate);
            int fd = (int) d.now("T0", q::portCreate);
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T", () -> q.portGet(fd, null)).kind());
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T0", () -> {
                q.close(fd);
                return 0;
            }).kind());
            assertTrue(d.sched.find("T").runnable(), "the close set T running");
            assertEquals(Errno.EBADF, errno(d.await("T")));
            assertTrue(d.await("T0").returned());
            assertEquals(1, d.sys.portCount(), "p's port is left");
        }
    }

    /**
     * port_sendn holds a reference on every port of its list it has reached, and drops each
     * later one at once (releasef; the first waits for syscall exit): a close of such a port
     * that began waiting while port_sendn was paused (its send's pollwakeup chain, pa being
     * polled through pb by pc) is woken by that drop, even when the references syscall exit
     * drops are not the last ones (T4, woken by the send to q but not yet run, still holds q).
     */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void aCloseWaitingForPortSendnsReferenceIsWokenByItsDrop(Profile profile) throws Exception {
        try (Det d = new Det(profile)) {
            Proc p = d.sys.spawn();
            int pa = (int) d.now("T1", p::portCreate);
            int pb = (int) d.now("T1", p::portCreate);
            int pc = (int) d.now("T1", p::portCreate);
            int q = (int) d.now("T1", p::portCreate);
            d.now("T1", () -> {
                p.portAssociate(pb, Ports.PORT_SOURCE_FD, pa, PollEvents.POLLIN, "b");
                p.portAssociate(pc, Ports.PORT_SOURCE_FD, pb, PollEvents.POLLIN, "c");
                return 0;
            });
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T4", () -> p.portGet(q, null)).kind());
            assertEquals(DetSched.Outcome.Kind.PAUSED,
                    d.sched.call("T2", () -> p.portSendn(new int[] {q, pa}, 1, "x"), "pollwakeup").kind());
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("T3", () -> {
                p.close(pa);
                return 0;
            }).kind(), "close(pa) waits for T2's reference");
            DetSched.Outcome sendn = d.await("T2");
            assertEquals(2, ((SendnResult) sendn.value()).count(), "both ports got the event: " + sendn);
            assertTrue(d.sched.find("T3").runnable(), "T2's drop of its reference on pa woke the close");
            DetSched.Outcome close = d.await("T3");
            assertTrue(close.returned() && close.error() == null, "close(pa) completes: " + close);
            assertEquals("x", ((PortEvent) d.await("T4").value()).user(), "T4, woken by the send to q, ran last");
        }
    }

    private static Errno errnoOf(Callable<?> call) {
        try {
            call.call();
            return null;
        } catch (PortException e) {
            return e.errno();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * On real threads MUSTRETURN is the scheduler's, not the call's: syscall exit ends it
     * (clear_stale_fd), so a thread evicted by a close waits normally in its next call, which
     * here runs into its timeout.
     */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void onRealThreadsAnEvictedThreadsNextCallWaitsNormally(Profile profile) throws Exception {
        PortSystem sys = new PortSystem(profile, new RealSched());
        Proc p = sys.spawn();
        int fd = p.portCreate();
        int other = p.portCreate();
        CompletableFuture<List<Errno>> results = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            List<Errno> l = new ArrayList<>();
            l.add(errnoOf(() -> p.portGet(fd, null)));
            l.add(errnoOf(() -> p.portGet(other, Timeout.ofMillis(1))));
            results.complete(l);
        }, "evicted");
        t.setDaemon(true);
        t.start();
        // whatever the interleaving the first call ends with EBADF
        RealThreads.awaitWaiterInRing(p, fd);
        p.close(fd);
        assertEquals(List.of(Errno.EBADF, Errno.ETIME), results.get(30, TimeUnit.SECONDS));
    }
}
