package eventports.kernel;

import eventports.sched.DetSched;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules of the port_getn engine and its wake-ups (port.c port_getn, port_alert; port_subr.c
 * port_send_event; port_vnops.c port_close).
 */
class EngineRulesTest {

    private static List<Object> users(GetnResult r) {
        return r.events().stream().map(PortEvent::user).collect(Collectors.toList());
    }

    @Test
    void w1SendWakesOnlyTheHeadAndOnlyWhenItsCountIsMet() throws Exception {
        // port_subr.c port_send_event (W1): head waiter only, portq_nent >= portq_nget
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("A", () -> p.portGetn(fd, 2, 2, null)).kind());
            d.now("S", () -> {
                p.portSend(fd, 1, "x");
                return 0;
            });
            assertFalse(d.sched.find("A").runnable(), "one event does not meet nget 2");
            d.now("S", () -> {
                p.portSend(fd, 1, "y");
                return 0;
            });
            assertTrue(d.sched.find("A").runnable(), "two events meet nget 2");
            assertEquals(List.of("x", "y"), users((GetnResult) d.await("A").value()));
        }
    }

    @Test
    void w2RetrieverExitWakesTheWaiterThatSendsSkipped() throws Exception {
        // port.c:1501-1509 (W2): while a retrieval is in progress port_send_event does not wake (getn > 0)
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            d.now("S", () -> {
                p.portSend(fd, 1, "a");
                return 0;
            });
            assertEquals(DetSched.Outcome.Kind.PAUSED, d.pauseAtDelivery("R", () -> p.portGet(fd, null)).kind());
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("W", () -> p.portGet(fd, null)).kind());
            d.now("S", () -> {
                p.portSend(fd, 1, "b");
                return 0;
            });
            assertFalse(d.sched.find("W").runnable(), "W1 defers while the retriever holds the block");
            assertEquals("a", ((PortEvent) d.await("R").value()).user());
            assertTrue(d.sched.find("W").runnable(), "the retriever's exit signals the head (W2)");
            assertEquals("b", ((PortEvent) d.await("W").value()).user());
        }
    }

    @Test
    void leftoverEventsArePushedBackBehindNewArrivals() throws Exception {
        // port.c:1488, port_subr.c port_push_eventq: port_push_eventq appends the temp list to the TAIL
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            d.sendUsers(p, fd, "a", "b", "c");
            d.pauseAtDelivery("R", () -> p.portGetn(fd, 1, 1, Timeout.POLL));
            d.now("S", () -> {
                p.portSend(fd, 1, "new");
                return 0;
            });
            assertEquals(List.of("a"), users((GetnResult) d.await("R").value()));
            GetnResult rest = (GetnResult) d.now("R", () -> p.portGetn(fd, 8, 1, Timeout.POLL));
            assertEquals(List.of("new", "b", "c"), users(rest));
        }
    }

    @Test
    void interruptBeatsAWakeUpAndTheWakeUpIsConsumed() throws Exception {
        // port.c:1326-1332, condvar.c cv_waituntil_sig precedence: signal > timeout > wake-up
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            d.call("A", () -> p.portGet(fd, null));
            d.call("B", () -> p.portGet(fd, null));
            // ring: B (tie, LIFO) then A
            d.now("S", () -> {
                p.portSend(fd, 1, "e");
                return 0;
            });
            String head = d.sched.find("B").runnable() ? "B" : "A";
            String other = head.equals("B") ? "A" : "B";
            d.sched.interrupt(head);
            DetSched.Outcome o = d.await(head);
            assertEquals(Errno.EINTR, ((PortException) o.error()).errno());
            assertFalse(d.sched.find(other).runnable(), "the wake-up went to the interrupted thread and is lost");
            assertEquals(1, d.sys.proc(p.pid) == p ? Det.port(p, fd).queue().snapshot().nent() : -1);
        }
    }

    @Test
    void countQueryCountsEventsTheCallerCannotRetrieve() throws Exception {
        // port.c:1189-1209: max == 0 returns portq_nent, including other processes' NOSHARE events
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p1 = d.sys.spawn();
            int fd = (int) d.now("S", p1::portCreate);
            Proc p2 = p1.fork();
            d.now("S", () -> {
                p1.portDispatch(fd, Ports.PORT_SOURCE_AIO, 1, 0, "mine", true);
                return 0;
            });
            GetnResult q = (GetnResult) d.now("C", () -> p2.portGetn(fd, 0, 0, null));
            assertEquals(1, q.nget());
            GetnResult poll = (GetnResult) d.now("C", () -> p2.portGetn(fd, 4, 1, Timeout.POLL));
            assertEquals(0, poll.nget(), "denied by port_noshare for another process");
        }
    }

    @Test
    void alertSnapshotsArePerWaiterAndKeptByEarlierWaiters() throws Exception {
        // port.c:1121-1130: waiters already flagged keep the earlier alert data
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            d.call("A", () -> p.portGet(fd, null));
            d.now("S", () -> {
                p.portAlert(fd, Ports.PORT_ALERT_SET, 1, "first");
                return 0;
            });
            d.now("S", () -> {
                p.portAlert(fd, Ports.PORT_ALERT_SET, 2, "second");
                return 0;
            });
            PortEvent a = (PortEvent) d.await("A").value();
            assertEquals(Ports.PORT_SOURCE_ALERT, a.source());
            assertEquals("first", a.user());
            PortEvent now = (PortEvent) d.now("B", () -> p.portGet(fd, Timeout.POLL));
            assertEquals("second", now.user(), "new callers see the current port-level alert");
        }
    }

    @Test
    void illumosCrashesAtLine1720WhenTheRingIsEmptyButARetrieverRemains() throws Exception {
        // FINDINGS F2: a waiter leaving a closing port while the only other thread is a retriever;
        // latent in stock illumos, whose descriptor layer evicts both before port_close: portfs only
        try (Det d = new Det(Profile.ILLUMOS, Layer.PORTFS)) {
            DetSched.Outcome o = closeRace(d);
            SeedCrash c = assertInstanceOf(SeedCrash.class, o.error());
            assertEquals("1720", c.seedLine());
        }
    }

    @Test
    void correctedSkipsTheMissingHeadWaiter() throws Exception {
        try (Det d = new Det(Profile.CORRECTED, Layer.PORTFS)) {
            DetSched.Outcome o = closeRace(d);
            assertEquals(Errno.EBADFD, assertInstanceOf(PortException.class, o.error()).errno());
        }
    }

    /** W waits, R pauses in delivery, S last-closes; W is woken and leaves with EBADFD. */
    private static DetSched.Outcome closeRace(Det d) throws Exception {
        Proc p = d.sys.spawn();
        int fd = (int) d.now("S", p::portCreate);
        d.call("W", () -> p.portGetn(fd, 2, 2, null));
        d.now("S", () -> {
            p.portSend(fd, 1, "x");
            return 0;
        });
        assertEquals(DetSched.Outcome.Kind.PAUSED, d.pauseAtDelivery("R", () -> p.portGet(fd, Timeout.POLL)).kind());
        assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("S", () -> {
            p.close(fd);
            return 0;
        }).kind());
        return d.await("W");
    }

    @Test
    void sendnWritesNoErrorArrayWhenEverythingSucceeds() throws Exception {
        // port.c:1041-1046: errors[] is copied out only if an entry failed
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int a = (int) d.now("S", p::portCreate);
            int b = (int) d.now("S", p::portCreate);
            SendnResult ok = (SendnResult) d.now("S", () -> p.portSendn(new int[] {a, b}, 1, "u"));
            assertEquals(2, ok.count());
            assertNull(ok.errors());
            SendnResult some = (SendnResult) d.now("S", () -> p.portSendn(new int[] {a, 999}, 1, "u"));
            assertEquals(1, some.count());
            assertEquals(Errno.EBADF.code, some.errors()[1]);
            assertEquals(0, some.errors()[0]);
        }
    }

    @Test
    void portCurrLimitsSendsAndDeliveryGivesTheSlotBack() throws Exception {
        // port.c:1575-1617 (port_copy_event): DEFAULT slots are freed on delivery
        try (Det d = new Det(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.withPortMaxEvents(1))) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            d.now("S", () -> {
                p.portSend(fd, 1, "a");
                return 0;
            });
            PortException full = assertThrows(PortException.class, () -> d.now("S", () -> {
                p.portSend(fd, 1, "b");
                return 0;
            }));
            assertEquals(Errno.EAGAIN, full.errno());
            d.now("G", () -> p.portGet(fd, null));
            d.now("S", () -> {
                p.portSend(fd, 1, "b");
                return 0;
            });
            assertEquals(1, Det.port(p, fd).curr());
        }
    }

    @Test
    void portCreateComparesTheSystemWideCountWithPortMaxIds() throws Exception {
        // port.c:745-746: pc_nents + 1 > project.max-port-ids → EAGAIN, whichever process owns the ports
        try (Det d = new Det(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.withPortMaxIds(1))) {
            Proc p1 = d.sys.spawn();
            Proc p2 = d.sys.spawn();
            int fd = (int) d.now("A", p1::portCreate);
            assertEquals(Errno.EAGAIN, assertThrows(PortException.class, () -> d.now("B", p2::portCreate)).errno());
            d.now("A", () -> {
                p1.close(fd);
                return 0;
            });
            d.now("B", p2::portCreate);
            assertEquals(1, d.sys.portCount());
        }
    }

    @Test
    void invalidTimeoutIsDiagnosedOnlyWhenTheCallWouldWait() throws Exception {
        // port.c:1263-1289: enough events → success even with a garbage timeout
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            Timeout bad = new Timeout(0, Timeout.NANOSEC);
            assertEquals(Errno.EINVAL, assertThrows(PortException.class, () -> d.now("G", () -> p.portGet(fd, bad))).errno());
            d.now("S", () -> {
                p.portSend(fd, 1, "a");
                return 0;
            });
            assertEquals("a", ((PortEvent) d.now("G", () -> p.portGet(fd, bad))).user());
        }
    }

    @Test
    void perProcessCloseMarksTheClosersNoshareEventsFree() throws Exception {
        // port_vnops.c port_discard_events, port.c:1396-1404: FREE events are discarded by the
        // next retriever, never delivered
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc parent = d.sys.spawn();
            int fd = (int) d.now("P", parent::portCreate);
            Proc child = parent.fork();
            d.now("C", () -> {
                child.portDispatch(fd, Ports.PORT_SOURCE_MQ, 1, 7, "child-private", true);
                child.portSend(fd, 2, "shared");
                child.close(fd);
                return 0;
            });
            GetnResult r = (GetnResult) d.now("P", () -> parent.portGetn(fd, 8, 1, Timeout.POLL));
            assertEquals(List.of("shared"), users(r));
            assertTrue(d.trace.records().stream().anyMatch(t -> t.action().equals("port_copy_event")
                    && "discard".equals(t.get("outcome"))), "the FREE event is discarded on the record");
            assertEquals(0, Det.port(parent, fd).curr(), "its slot is released");
        }
    }
}
