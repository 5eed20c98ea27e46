package eventports.sources;

import eventports.kernel.Errno;
import eventports.kernel.GetnResult;
import eventports.kernel.Limits;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PORT_SOURCE_TIMER (timer.c): expiries, overruns, owner-only delivery, slot lifetime. */
class TimerSourceTest {
    private final MemorySink trace = new MemorySink();
    private final PortSystem sys = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS, new RealSched(), trace);
    private final Proc p = sys.spawn();

    private static List<PortEvent> poll(Proc p, int port) throws PortException {
        GetnResult r = p.portGetn(port, 16, 1, Timeout.POLL);
        return r.events();
    }

    @Test
    void expiriesFoldIntoOneEventWhilePending() throws Exception {
        int port = p.portCreate();
        int t = TimerSource.timerCreate(p, port, "tick");
        assertEquals(0, t, "the process's first timer");
        for (int i = 0; i < 5; i++) {
            TimerSource.timerExpire(p, t);
        }
        assertEquals(List.of(new PortEvent(5, Ports.PORT_SOURCE_TIMER, 0, "tick")), poll(p, port));
        TimerSource.timerExpire(p, t);
        assertEquals(List.of(new PortEvent(1, Ports.PORT_SOURCE_TIMER, 0, "tick")), poll(p, port));
        List<String> actions = trace.records().stream().map(TraceRecord::action).filter(a -> a.startsWith("timer_"))
                .collect(Collectors.toList());
        assertEquals("timer_create", actions.get(0));
        assertEquals(7, actions.size());
    }

    @Test
    void otherProcessIsDeniedAndTheSlotOutlivesDelivery() throws Exception {
        int port = p.portCreate();
        Port pp = (Port) p.file(port).vnode();
        int t = TimerSource.timerCreate(p, port, "tick");
        assertEquals(1, pp.curr());
        Proc child = p.fork();
        TimerSource.timerExpire(p, t);
        assertEquals(List.of(), poll(child, port));
        TimerSource.timerExpire(p, t);
        assertEquals(List.of(new PortEvent(2, Ports.PORT_SOURCE_TIMER, 0, "tick")), poll(p, port));
        assertEquals(1, pp.curr(), "SCACHED: the slot is the timer's until it is deleted");
        TimerSource.timerExpire(p, t);
        TimerSource.timerDelete(p, t);
        assertEquals(0, pp.curr());
        assertEquals(List.of(), poll(p, port), "deleting takes the queued event back");
        assertEquals(Errno.EINVAL, assertThrows(PortException.class, () -> TimerSource.timerExpire(p, t)).errno());
        assertEquals(Errno.EINVAL, assertThrows(PortException.class, () -> TimerSource.timerDelete(p, t)).errno());
    }

    @Test
    void createErrors() throws Exception {
        PortSystem small = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS.withPortMaxEvents(1), new RealSched(), null);
        Proc q = small.spawn();
        int port = q.portCreate();
        int fd = q.fdOpen();
        assertEquals(Errno.EBADF, assertThrows(PortException.class, () -> TimerSource.timerCreate(q, 42, 0)).errno());
        assertEquals(Errno.EBADFD, assertThrows(PortException.class, () -> TimerSource.timerCreate(q, fd, 0)).errno());
        TimerSource.timerCreate(q, port, 0);
        assertEquals(Errno.EAGAIN, assertThrows(PortException.class, () -> TimerSource.timerCreate(q, port, 0)).errno());
        assertEquals(Errno.EINVAL, assertThrows(PortException.class,
                () -> TimerSource.timerSettime(q, 0, -1, 0)).errno());
    }

    @Test
    void realClockExpiriesReachThePort() throws Exception {
        int port = p.portCreate();
        int t = TimerSource.timerCreate(p, port, "clock");
        TimerSource.timerSettime(p, t, 1_000_000L, 1_000_000L);
        PortEvent e = p.portGet(port, Timeout.ofMillis(10_000));
        assertEquals(Ports.PORT_SOURCE_TIMER, e.source());
        assertTrue(e.events() >= 1);
        PortEvent f = p.portGet(port, Timeout.ofMillis(10_000));
        assertTrue(f.events() >= 1, "a periodic timer keeps firing");
        TimerSource.timerSettime(p, t, 0, 0);
        TimerSource.timerDelete(p, t);
        assertEquals(0, ((Port) p.file(port).vnode()).curr());
    }

    @Test
    void portCloseLeavesTheTimerWithoutNotification() throws Exception {
        int port = p.portCreate();
        int t = TimerSource.timerCreate(p, port, "tick");
        TimerSource.timerExpire(p, t);
        p.close(port);                                  // last close: does not wait for the timer's slot
        assertEquals(0, sys.portCount());
        TimerSource.timerExpire(p, t);                  // the timer lives on, notifying nobody
        TimerSource.timerDelete(p, t);
    }

    @Test
    void settimeNeedsTheRealClock() throws Exception {
        DetSched det = new DetSched();
        try {
            PortSystem ds = new PortSystem(Profile.ILLUMOS, det);
            Proc q = ds.spawn();
            Object r = det.call("T", () -> {
                int port = q.portCreate();
                int t = TimerSource.timerCreate(q, port, 0);
                try {
                    TimerSource.timerSettime(q, t, 1, 0);
                    return null;
                } catch (PortException e) {
                    return e.errno();
                }
            }, null).value();
            assertEquals(Errno.ENOTSUP, r);
        } finally {
            det.shutdown();
        }
    }
}
