package eventports.kernel;

import eventports.sched.DetSched;
import eventports.sources.TimerSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel-side API for event sources (port_subr.c) where no scenario reaches it: a
 * PORT_ALLOC_PRIVATE slot, which port_free_event gives back at once (no port block), and the
 * association count of a source (portsrc_cnt), which keeps a source's close callback until its
 * last association goes. Issue 19: PIT's mutants of both survived the corpus.
 */
class SourceApiTest {

    @Test
    void aPrivateSlotIsFreedWithoutWaitingForTheBlock() throws Exception {
        // port_free_event: a PORT_ALLOC_PRIVATE slot goes straight to port_free_event_local
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            Port pp = Det.port(p, fd);
            d.now("S", () -> {
                p.portSend(fd, 1, "a");
                return 0;
            });
            assertEquals(DetSched.Outcome.Kind.PAUSED,
                    d.pauseAtDelivery("R", () -> p.portGetn(fd, 1, 1, null)).kind());
            DetSched.Outcome f = d.call("F", () -> {
                Kevent k = PortSubr.portAllocEventLocal(p, pp, Ports.PORT_SOURCE_AIO, Ports.PORT_ALLOC_PRIVATE);
                PortSubr.portFreeEvent(k);
                return 0;
            });
            assertEquals(DetSched.Outcome.Kind.RETURNED, f.kind(), "the free waited for PORTQ_BLOCKED");
            assertEquals(1, pp.curr(), "the private slot's unit of port_curr is back");
            assertEquals(1, ((GetnResult) d.await("R").value()).events().size());
            assertEquals(0, pp.curr());
        }
    }

    @Test
    void aSourceKeepsItsCloseCallbackUntilItsLastAssociationGoes() throws Exception {
        List<Integer> closes = new ArrayList<>();
        PortSource.CloseCallback cb = (arg, portFd, pid, lastclose) -> closes.add(lastclose);
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            int fd2 = (int) d.now("S", () -> p.dup(fd));
            Port pp = Det.port(p, fd);
            d.now("S", () -> {
                PortSubr.portAssociateKsource(pp, Ports.PORT_SOURCE_TIMER, cb, null);
                PortSubr.portAssociateKsource(pp, Ports.PORT_SOURCE_TIMER, cb, null);
                PortSubr.portDissociateKsource(pp, Ports.PORT_SOURCE_TIMER);
                return 0;
            });
            // one association left: the per-process close (two references) still calls it
            d.now("S", () -> {
                p.close(fd2);
                return 0;
            });
            assertEquals(List.of(0), closes);
            d.now("S", () -> {
                PortSubr.portDissociateKsource(pp, Ports.PORT_SOURCE_TIMER);
                PortSubr.portDissociateKsource(pp, Ports.PORT_SOURCE_MQ); // never associated: nothing
                return 0;
            });
            d.now("S", () -> {
                p.close(fd);
                return 0;
            });
            assertEquals(List.of(0), closes, "a source without associations is not called at the last close");
            // after the last close the source table is gone: (dis)associating is a no-op
            d.now("S", () -> {
                PortSubr.portAssociateKsource(pp, Ports.PORT_SOURCE_TIMER, cb, null);
                PortSubr.portDissociateKsource(pp, Ports.PORT_SOURCE_TIMER);
                return 0;
            });
            assertEquals(null, pp.portQueue.portqScache);
        }
    }

    @Test
    void aSlotASourceFreesWakesADispatchSleepingForOne() throws Exception {
        // port_free_event (port_subr.c): --port_curr below port_max_events signals port_cv, on
        // which port_alloc_event_block (port_dispatch) sleeps; here the slot is a timer's, which
        // timer_delete frees without its ever being queued
        try (Det d = new Det(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.withPortMaxEvents(1))) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            Port pp = Det.port(p, fd);
            int timer = (int) d.now("S", () -> TimerSource.timerCreate(p, fd, "t"));
            assertEquals(DetSched.Outcome.Kind.BLOCKED, d.call("D", () -> {
                p.portDispatch(fd, Ports.PORT_SOURCE_AIO, 1, 5, "late", false);
                return 0;
            }).kind());
            d.now("S", () -> {
                TimerSource.timerDelete(p, timer);
                return 0;
            });
            assertTrue(d.sched.find("D").runnable(), "port_free_event woke the dispatch");
            assertTrue(d.await("D").returned());
            assertEquals("late", ((PortEvent) d.now("S", () -> p.portGet(fd, Timeout.POLL))).user());
        }
    }

    @Test
    void aQueuedSlotIsSentOnceAndFreedByTheNextRetrieverACachedOneStaysWithItsSource() throws Exception {
        try (Det d = new Det(Profile.ILLUMOS)) {
            Proc p = d.sys.spawn();
            int fd = (int) d.now("S", p::portCreate);
            Port pp = Det.port(p, fd);
            Kevent k = (Kevent) d.now("S", () -> {
                Kevent s1 = PortSubr.portAllocEventLocal(p, pp, Ports.PORT_SOURCE_AIO, Ports.PORT_ALLOC_DEFAULT);
                PortSubr.portInitEvent(s1, 9, "once", null, null);
                PortSubr.portSendEvent(s1);
                PortSubr.portSendEvent(s1);                             // DONEQ: a no-op
                return s1;
            });
            assertEquals(1, pp.queue().snapshot().nent(), "sent twice, queued once");
            // port_free_event of a queued slot only marks it FREE: the retriever discards it
            d.now("S", () -> {
                PortSubr.portFreeEvent(k);
                return 0;
            });
            assertEquals(1, pp.curr());
            assertEquals(Errno.ETIME, ((PortException) d.call("S", () -> p.portGet(fd, Timeout.POLL)).error()).errno());
            assertEquals(0, pp.curr(), "the discarded slot is released");
            assertEquals(0, pp.queue().snapshot().nent());
            // a CACHED slot that is not queued belongs to its cache: port_curr keeps it
            d.now("S", () -> {
                Kevent c = PortSubr.portAllocEventLocal(p, pp, Ports.PORT_SOURCE_FD, Ports.PORT_ALLOC_CACHED);
                PortSubr.portFreeEvent(c);
                return 0;
            });
            assertEquals(1, pp.curr());
        }
    }
}
