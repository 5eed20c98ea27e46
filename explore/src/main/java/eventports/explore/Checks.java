package eventports.explore;

import eventports.conformance.CallResult;
import eventports.explore.EventLedger.Kev;
import eventports.explore.Program.Ref;
import eventports.kernel.Errno;
import eventports.kernel.PortEvent;
import eventports.kernel.PortQueue;
import eventports.kernel.Ports;
import eventports.trace.TraceRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The explorer's own checks, each a {@link RunCheck} over one finished run:
 * <ul>
 * <li>{@link #DRIVER}: no broken step (unchecked exception, unsupported op, runner fault), no
 *     seed crash, nothing left runnable after settling;</li>
 * <li>{@link #RESULTS}: every call's outcome is one illumos allows for it (the man pages and
 *     port.c), from what the driver saw when the call started (descriptor table, queue flags, allocated slots) and
 *     what happened while it ran (signals, time, alerts, a last close);</li>
 * <li>{@link #EVENTS}: the event ledger — returned events are exactly the trace's deliveries,
 *     a send reports what it sent, nothing delivered twice or to a process that may not see
 *     it, nothing lost, FIFO per port, and at the end sent = delivered + queued + discarded on
 *     a documented path;</li>
 * <li>{@link #LIVENESS}: after settling, no thread waits unless it may (a waiter wanting more
 *     events than its process can retrieve, a dispatcher of a full port).</li>
 * </ul>
 */
public final class Checks {
    private Checks() {
    }

    /** The built-in checks, in the order their violations are reported. */
    public static List<RunCheck> builtin() {
        return List.of(DRIVER, RESULTS, EVENTS, LIVENESS);
    }

    private abstract static class PerRun implements RunCheck {
        private final String name;

        PerRun(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<Violation> check(List<RunRecord> runs) {
            List<Violation> all = new ArrayList<>();
            for (RunRecord r : runs) {
                all.addAll(check(r));
            }
            return all;
        }

        abstract List<Violation> check(RunRecord r);
    }

    // ---- driver ----------------------------------------------------------------------------

    public static final RunCheck DRIVER = new PerRun("driver") {
        @Override
        List<Violation> check(RunRecord r) {
            List<Violation> v = new ArrayList<>(r.driverViolations);
            for (StepRecord s : r.steps) {
                CallResult res = s.result();
                if (res != null && res.kind() == CallResult.Kind.PANIC) {
                    v.add(new Violation(r.runId, Property.PANIC, s.index(), lastSeq(r, s), res.message()));
                }
            }
            for (EndState e : new EndState[] {r.settled, r.last}) {
                if (e == null) {
                    continue;
                }
                for (EndState.Blocked b : e.blocked()) {
                    if (b.runnable() || !b.state().equals("BLOCKED")) {
                        v.add(new Violation(r.runId, Property.BROKEN, e.step(), null, "the driver left "
                                + b.call().simThread + " " + (b.runnable() ? "runnable" : b.state().toLowerCase())
                                + " after settling"));
                    }
                }
            }
            return v;
        }
    };

    private static Long lastSeq(RunRecord r, StepRecord s) {
        return s.traceTo() > s.traceFrom() ? r.trace.get(s.traceTo() - 1).seq() : null;
    }

    // ---- results ---------------------------------------------------------------------------

    public static final RunCheck RESULTS = new PerRun("results") {
        @Override
        List<Violation> check(RunRecord r) {
            List<Violation> v = new ArrayList<>();
            for (CallLog c : r.calls) {
                if (c.startObs == null) {
                    continue;
                }
                String bad = blockedWrongly(r, c);
                if (bad != null) {
                    v.add(new Violation(r.runId, Property.RESULT, c.startStep, null, c + ": " + bad));
                }
                if (!c.done() || c.result.kind() == CallResult.Kind.PANIC || c.result.kind() == CallResult.Kind.BROKEN) {
                    continue;
                }
                for (Object[] p : results(r, c)) {
                    v.add(new Violation(r.runId, (Property) p[0], c.endStep, null, c.actor + "[" + c.index + "] "
                            + c.call + " -> " + c.result + ": " + p[1]));
                }
            }
            return v;
        }
    };

    /** Whether a call blocked that cannot block at that point; null if fine. */
    private static String blockedWrongly(RunRecord r, CallLog c) {
        StepRecord start = r.step(c.startStep);
        if (start.result() == null || start.result().kind() != CallResult.Kind.BLOCKED) {
            return null;
        }
        Program.Call call = c.call;
        if (call instanceof Program.Send || call instanceof Program.Sendn || call instanceof Program.Alert
                || call instanceof Program.Associate || call instanceof Program.Dissociate) {
            return "blocked, but it never waits";
        }
        if (call instanceof Program.Dispatch) {
            Ref p = ((Program.Dispatch) call).port();
            Integer curr = c.startObs.curr().get(p);
            if (curr != null && curr < r.program.maxEvents()) {
                return "blocked for a slot with port_curr " + curr + " < " + r.program.maxEvents();
            }
            return null;
        }
        Ref port = null;
        boolean cannotWait = false;
        if (call instanceof Program.Get) {
            port = ((Program.Get) call).port();
            Program.To t = ((Program.Get) call).timeout();
            cannotWait = t.zero() || t.invalid();
        } else if (call instanceof Program.Getn) {
            Program.Getn g = (Program.Getn) call;
            port = g.port();
            cannotWait = g.timeout().zero() || g.timeout().invalid() || g.max() == 0 || g.nget() == 0
                    || Integer.compareUnsigned(g.nget(), g.max()) > 0;
        }
        if (port != null && cannotWait && !c.startObs.flag(port, Ports.PORTQ_BLOCKED)) {
            return "blocked although it may not wait and PORTQ_BLOCKED was free";
        }
        return null;
    }

    private enum FdState { OPEN, NOT_PORT, CLOSED }

    private static FdState fdState(RunRecord r, CallLog c, Ref ref) {
        Integer fd = r.fds.get(ref);
        if (fd == null || !c.startObs.isOpen(c.proc, fd)) {
            return FdState.CLOSED;
        }
        return ref == Ref.F ? FdState.NOT_PORT : FdState.OPEN;
    }

    /** {property, message} pairs for everything wrong with a finished call's outcome. */
    private static List<Object[]> results(RunRecord r, CallLog c) {
        List<Object[]> v = new ArrayList<>();
        CallResult res = c.result;
        Program.Call call = c.call;
        Function<String, Object[]> bad = m -> new Object[] {Property.RESULT, m};
        if (call instanceof Program.Exit) {
            if (!returned(res, 0)) {
                v.add(bad.apply("exit returns 0"));
            }
            return v;
        }
        if (call instanceof Program.Close) {
            FdState st = fdState(r, c, ((Program.Close) call).fd());
            if (st == FdState.CLOSED ? !errno(res, "EBADF") : !returned(res, 0)) {
                v.add(bad.apply(st == FdState.CLOSED ? "close of a descriptor that is not open is EBADF" : "close returns 0"));
            }
            return v;
        }
        if (call instanceof Program.Sendn) {
            sendn(r, c, v);
            return v;
        }
        Ref port = call.refs().get(0);
        FdState st = fdState(r, c, port);
        if (st != FdState.OPEN) {
            String want = st == FdState.CLOSED ? "EBADF" : "EBADFD";
            if (!errno(res, want)) {
                v.add(bad.apply("descriptor " + (st == FdState.CLOSED ? "not open" : "not a port") + ": " + want));
            } else if (call instanceof Program.Getn && (!Objects.equals(res.nget(), ((Program.Getn) call).nget())
                    || !empty(res.events()))) {
                v.add(bad.apply("a failed port_getn leaves *nget alone and writes nothing"));
            }
            return v;
        }
        PortQueue.Snapshot at = c.startObs.snap(port);
        int curr = c.startObs.curr().getOrDefault(port, 0);
        if (call instanceof Program.Send) {
            String want = curr >= r.program.maxEvents() ? "EAGAIN" : null;
            if (want == null ? !returned(res, 0) : !errno(res, want)) {
                v.add(bad.apply(want == null ? "port_send returns 0 (port_curr " + curr + ")"
                        : "port_curr reached port_max_events: EAGAIN"));
            }
        } else if (call instanceof Program.Dispatch) {
            Program.Dispatch d = (Program.Dispatch) call;
            if (d.source() != Ports.PORT_SOURCE_AIO && d.source() != Ports.PORT_SOURCE_MQ) {
                if (!errno(res, "EINVAL")) {
                    v.add(bad.apply("port_dispatch of a source other than AIO/MQ is EINVAL"));
                }
            } else if (!returned(res, 0) && !(errno(res, "EINTR") && c.interrupted)) {
                v.add(bad.apply("port_dispatch returns 0 (or EINTR when a signal reaches it while it waits)"));
            }
        } else if (call instanceof Program.Alert) {
            Program.Alert a = (Program.Alert) call;
            String want = null;
            if (a.events() != 0) {
                if ((a.flags() & Ports.PORT_ALERT_INVALID) == Ports.PORT_ALERT_INVALID) {
                    want = "EINVAL";
                } else if (a.flags() == Ports.PORT_ALERT_UPDATE && (at.flags() & Ports.PORTQ_ALERT) != 0) {
                    want = "EBUSY";
                }
            }
            if (want == null ? !returned(res, 0) : !errno(res, want)) {
                v.add(bad.apply(want == null ? "port_alert returns 0" : "expected " + want));
            }
        } else if (call instanceof Program.Associate || call instanceof Program.Dissociate) {
            int source = call instanceof Program.Associate ? ((Program.Associate) call).source()
                    : ((Program.Dissociate) call).source();
            if (source != Ports.PORT_SOURCE_FD && source != Ports.PORT_SOURCE_FILE && !errno(res, "EINVAL")) {
                v.add(bad.apply("a source other than FD / FILE is EINVAL"));
            }
        } else if (call instanceof Program.Get) {
            get(r, c, port, v);
        } else if (call instanceof Program.Getn) {
            getn(r, c, port, v);
        }
        return v;
    }

    private static void sendn(RunRecord r, CallLog c, List<Object[]> v) {
        Program.Sendn s = (Program.Sendn) c.call;
        CallResult res = c.result;
        if (s.ports().isEmpty() || s.ports().size() > r.program.maxList()) {
            if (!errno(res, "EINVAL")) {
                v.add(new Object[] {Property.RESULT, "port_sendn of " + s.ports().size() + " ports is EINVAL"});
            }
            return;
        }
        Map<Ref, Integer> curr = new HashMap<>(c.startObs.curr());
        int[] want = new int[s.ports().size()];
        int ok = 0;
        for (int i = 0; i < want.length; i++) {
            Ref p = s.ports().get(i);
            FdState st = fdState(r, c, p);
            if (st == FdState.CLOSED) {
                want[i] = Errno.EBADF.code;
            } else if (st == FdState.NOT_PORT) {
                want[i] = Errno.EBADFD.code;
            } else if (curr.getOrDefault(p, 0) >= r.program.maxEvents()) {
                want[i] = Errno.EAGAIN.code;
            } else {
                curr.merge(p, 1, Integer::sum);
                ok++;
            }
        }
        if (!returned(res, ok)) {
            v.add(new Object[] {Property.RESULT, "port_sendn returns the " + ok + " ports that got the event"});
            return;
        }
        int[] got = res.errors();
        if (ok == want.length) {
            if (got != null) {
                v.add(new Object[] {Property.RESULT, "no entry failed: errors[] is not written"});
            }
        } else if (got == null || !java.util.Arrays.equals(got, want)) {
            v.add(new Object[] {Property.RESULT, "errors[] should be " + java.util.Arrays.toString(want)});
        }
    }

    private static void get(RunRecord r, CallLog c, Ref port, List<Object[]> v) {
        Program.Get g = (Program.Get) c.call;
        CallResult res = c.result;
        if (res.kind() == CallResult.Kind.RETURNED) {
            if (res.events() == null || res.events().size() != 1) {
                v.add(new Object[] {Property.RESULT, "port_get returning 0 has written exactly one event"});
                return;
            }
            eventShape(r, c, port, res.events(), v);
            return;
        }
        String why = errnoAllowed(r, c, port, res.errno(), g.timeout(), false);
        if (why != null) {
            v.add(new Object[] {Property.RESULT, why});
        }
        if (!empty(res.events())) {
            v.add(new Object[] {Property.RESULT, "a failed port_get writes no event"});
        }
    }

    private static void getn(RunRecord r, CallLog c, Ref port, List<Object[]> v) {
        Program.Getn g = (Program.Getn) c.call;
        CallResult res = c.result;
        if (Integer.compareUnsigned(g.nget(), g.max()) > 0 && g.max() > 0) {
            if (!errno(res, "EINVAL") || !Objects.equals(res.nget(), g.nget()) || !empty(res.events())) {
                v.add(new Object[] {Property.RESULT, "*nget > max > 0 is EINVAL, *nget untouched"});
            }
            return;
        }
        if (g.max() == 0) {
            PortQueue.Snapshot s = c.endObs.snap(port);
            int count = s.nent() + s.tnent();
            if (!returned(res, 0) || !Objects.equals(res.nget(), count) || !empty(res.events())) {
                v.add(new Object[] {Property.RESULT, "max 0 is the count query: 0, *nget = " + count + " queued"});
            }
            return;
        }
        if (g.nget() == 0) {
            if (!returned(res, 0) || !Objects.equals(res.nget(), 0) || !empty(res.events())) {
                v.add(new Object[] {Property.RESULT, "*nget 0 returns 0 at once, nothing retrieved"});
            }
            return;
        }
        int n = res.nget() == null ? -1 : res.nget();
        int written = res.events() == null ? 0 : res.events().size();
        if (res.kind() == CallResult.Kind.RETURNED) {
            if (n < 0 || Integer.compareUnsigned(n, g.max()) > 0) {
                v.add(new Object[] {Property.RESULT, "0 <= *nget <= max"});
            }
            if (n != written) {
                v.add(new Object[] {Property.REPORTED_COUNT, "*nget " + n + " but " + written + " events written"});
            }
            if (written == 0 && !g.timeout().zero()) {
                v.add(new Object[] {Property.RESULT, "success without an event needs a zero timeout"});
            }
            if (written > g.max()) {
                v.add(new Object[] {Property.RESULT, "more events than max"});
            }
            eventShape(r, c, port, res.events(), v);
            return;
        }
        String why = errnoAllowed(r, c, port, res.errno(), g.timeout(), true);
        if (why != null) {
            v.add(new Object[] {Property.RESULT, why});
        }
        if ("ETIME".equals(res.errno())) {
            if (n != written) {
                v.add(new Object[] {Property.REPORTED_COUNT, "ETIME with *nget " + n + " but " + written
                        + " events written"});
            }
            if (written > g.max()) {
                v.add(new Object[] {Property.RESULT, "more events than max"});
            }
            eventShape(r, c, port, res.events(), v);
        } else if (!Objects.equals(res.nget(), g.nget()) || !empty(res.events())) {
            v.add(new Object[] {Property.RESULT, "a failed port_getn (" + res.errno()
                    + ") leaves *nget alone and writes nothing"});
        }
    }

    /** Null if {@code errno} is one port_get(3C) / port_getn(3C) allow for this retrieval, else why not. */
    private static String errnoAllowed(RunRecord r, CallLog c, Ref port, String errno, Program.To to, boolean getn) {
        if (errno == null) {
            return "neither a result nor an errno";
        }
        switch (errno) {
            case "EBADFD":
                return closeSeen(r, c, port) ? null : "EBADFD but the port was not closing";
            case "EINVAL":
                return to.invalid() ? null : "EINVAL with a valid timeout";
            case "EINTR":
                return c.interrupted ? null : "EINTR but no signal reached the call";
            case "ETIME": {
                if (to.zero()) {
                    return getn ? "port_getn with a zero timeout never reports ETIME" : null;
                }
                if (!to.positive()) {
                    return "ETIME without a timeout";
                }
                long waited = c.endObs.now() - c.startObs.now();
                return waited >= to.nanos() ? null : "ETIME after " + waited + " ns of a " + to.nanos() + " ns timeout";
            }
            default:
                return errno + " is not an errno of this call";
        }
    }

    /** Every returned event is an alert (alone, while alert mode was seen) or an event sent to this port. */
    private static void eventShape(RunRecord r, CallLog c, Ref port, List<PortEvent> events, List<Object[]> v) {
        if (events == null) {
            return;
        }
        boolean alert = events.stream().anyMatch(e -> e.source() == Ports.PORT_SOURCE_ALERT);
        if (alert) {
            if (events.size() != 1) {
                v.add(new Object[] {Property.RESULT, "an alert is returned alone"});
            }
            PortEvent e = events.get(0);
            if (!alertSeen(r, c, port)) {
                v.add(new Object[] {Property.RESULT, "an alert event although the port was never in alert mode"});
            }
            String flaggedBy = flaggingAlert(r, c);
            if (flaggedBy != null && !flaggedBy.equals(String.valueOf(e.user()))) {
                v.add(new Object[] {Property.RESULT, "a waiter flagged by the alert " + flaggedBy
                        + " returns that alert's copy (port.c:1121-1130), not " + e.user()});
            }
            if (!String.valueOf(e.user()).startsWith("alert:") || e.object() != 0) {
                v.add(new Object[] {Property.RESULT, "the alert event carries the alert's user and object 0"});
            }
            return;
        }
        for (PortEvent e : events) {
            if (e.source() != Ports.PORT_SOURCE_USER && e.source() != Ports.PORT_SOURCE_AIO
                    && e.source() != Ports.PORT_SOURCE_MQ) {
                v.add(new Object[] {Property.RESULT, "an event of source " + e.source() + " nobody sends"});
            }
        }
    }

    /**
     * The user of the first alert that flagged this call's thread while it waited (its
     * {@code port_alert} record names the threads it woke), or null.
     */
    private static String flaggingAlert(RunRecord r, CallLog c) {
        int to = c.done() ? r.step(c.endStep).traceTo() : r.trace.size();
        for (StepRecord s : r.steps) {
            if (s.index() < c.startStep || s.traceFrom() >= to) {
                continue;
            }
            for (int i = s.traceFrom(); i < s.traceTo() && i < to; i++) {
                TraceRecord t = r.trace.get(i);
                Object woke = t.get("woke");
                if (t.action().equals("port_alert") && t.get("error") == null && woke instanceof java.util.Collection
                        && ((java.util.Collection<?>) woke).contains(c.simThread) && s.call() != null) {
                    return "alert:" + s.call().user;
                }
            }
        }
        return null;
    }

    private static boolean alertSeen(RunRecord r, CallLog c, Ref port) {
        if (c.startObs.flag(port, Ports.PORTQ_ALERT)) {
            return true;
        }
        Integer id = r.portIds.get(port);
        return id != null && anyRecord(r, c, id, t -> t.action().equals("port_alert") && t.get("error") == null);
    }

    private static boolean closeSeen(RunRecord r, CallLog c, Ref port) {
        if (c.startObs.flag(port, Ports.PORTQ_CLOSE)) {
            return true;
        }
        Integer id = r.portIds.get(port);
        return id != null && anyRecord(r, c, id, t -> t.action().equals("port_close")
                && (Boolean.TRUE.equals(t.get("lastclose")) || Objects.equals(t.get("lastclose"), 1)));
    }

    /** A record about port {@code id} emitted while the call was in progress. */
    private static boolean anyRecord(RunRecord r, CallLog c, int id, java.util.function.Predicate<TraceRecord> p) {
        int from = r.step(c.startStep).traceFrom();
        int to = c.done() ? r.step(c.endStep).traceTo() : r.trace.size();
        for (int i = from; i < to && i < r.trace.size(); i++) {
            TraceRecord t = r.trace.get(i);
            if (t.port() == id && p.test(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean returned(CallResult r, long ret) {
        return r.kind() == CallResult.Kind.RETURNED && r.ret() == ret;
    }

    private static boolean errno(CallResult r, String e) {
        return r.kind() == CallResult.Kind.ERRNO && e.equals(r.errno());
    }

    private static boolean empty(List<?> l) {
        return l == null || l.isEmpty();
    }

    // ---- events ----------------------------------------------------------------------------

    public static final RunCheck EVENTS = new PerRun("events") {
        @Override
        List<Violation> check(RunRecord r) {
            EventLedger led = new EventLedger(r);
            List<Violation> v = new ArrayList<>(led.problems);
            for (CallLog c : r.calls) {
                sends(r, led, c, v);
                deliveries(r, led, c, v);
            }
            fifo(r, led, v);
            if (r.last != null) {
                balance(r, led, v);
            }
            return v;
        }
    };

    /** A send reports what the trace says it sent. */
    private static void sends(RunRecord r, EventLedger led, CallLog c, List<Violation> v) {
        int sent = led.sentBy.getOrDefault(c, List.of()).size();
        int want = 0;
        if (c.done() && c.result.kind() == CallResult.Kind.RETURNED) {
            if (c.call instanceof Program.Send || c.call instanceof Program.Dispatch) {
                want = 1;
            } else if (c.call instanceof Program.Sendn) {
                want = (int) c.result.ret();
            }
        }
        if (sent != want) {
            v.add(new Violation(r.runId, Property.TRACE_CONSISTENCY, c.done() ? c.endStep : c.startStep, null,
                    c + ": reported " + want + " event(s) sent, the trace sent " + sent));
        }
    }

    /** A retrieval returns exactly the events its trace delivered, or reports them lost. */
    private static void deliveries(RunRecord r, EventLedger led, CallLog c, List<Violation> v) {
        List<Kev> delivered = led.deliveredBy.getOrDefault(c, List.of());
        int lost = led.lostBy.getOrDefault(c, 0);
        boolean retrieval = c.call instanceof Program.Get || c.call instanceof Program.Getn;
        if (!retrieval) {
            if (!delivered.isEmpty()) {
                v.add(new Violation(r.runId, Property.TRACE_CONSISTENCY, c.startStep, delivered.get(0).fateSeq,
                        c + " delivered events"));
            }
            return;
        }
        if (!c.done() || c.result.kind() == CallResult.Kind.PANIC || c.result.kind() == CallResult.Kind.BROKEN) {
            return;
        }
        List<PortEvent> got = new ArrayList<>();
        if (c.result.events() != null) {
            for (PortEvent e : c.result.events()) {
                if (e.source() != Ports.PORT_SOURCE_ALERT) {
                    got.add(e);
                }
            }
        }
        if (lost > 0) {
            v.add(new Violation(r.runId, Property.LOST, c.endStep, delivered.isEmpty() ? null
                    : delivered.get(delivered.size() - 1).fateSeq, c + ": " + lost + " event(s) "
                    + delivered + " taken from the queue and dropped (last thread out of a closing port)"));
            if (!got.isEmpty() || lost != delivered.size()) {
                v.add(new Violation(r.runId, Property.TRACE_CONSISTENCY, c.endStep, null, c + ": lost " + lost
                        + " of " + delivered.size() + " delivered, yet returned " + got.size()));
            }
            return;
        }
        boolean same = got.size() == delivered.size();
        for (int i = 0; same && i < got.size(); i++) {
            PortEvent e = got.get(i);
            Kev k = delivered.get(i);
            same = Objects.equals(String.valueOf(e.user()), k.user) && e.source() == k.source && e.events() == k.events;
        }
        if (!same) {
            List<Object> users = new ArrayList<>();
            got.forEach(e -> users.add(e.user()));
            v.add(new Violation(r.runId, Property.TRACE_CONSISTENCY, c.endStep,
                    delivered.isEmpty() ? null : delivered.get(0).fateSeq, c + ": returned " + users
                    + " but the trace delivered " + delivered));
        }
        for (Kev k : delivered) {
            Integer pid = r.pids.get(c.proc);
            if (pid != null && !k.deliverableTo(pid)) {
                v.add(new Violation(r.runId, Property.EVENT_ONCE, c.endStep, k.fateSeq,
                        "non-shareable " + k + " of pid " + k.owner + " delivered to " + c.proc));
            }
        }
    }

    /**
     * FIFO (port.c:52-53, 1472-1474): if e2 is delivered by a retrieval of process p while an earlier-sent e1
     * of the same port is still queued and p could take it (or it was marked FREE), e1 was in
     * the same temp list ahead of e2 — had the queue kept send order — and would have been
     * taken (or discarded) first.
     */
    private static void fifo(RunRecord r, EventLedger led, List<Violation> v) {
        Map<Ref, List<Kev>> byPort = new HashMap<>();
        for (Kev k : led.kevs.values()) {
            byPort.computeIfAbsent(k.port, x -> new ArrayList<>()).add(k);
        }
        for (List<Kev> l : byPort.values()) {
            for (Kev e2 : l) {
                if (!"deliver".equals(e2.fate)) {
                    continue;
                }
                for (Kev e1 : l) {
                    if (e1.sendSeq >= e2.sendSeq) {
                        break;
                    }
                    boolean stillQueued = e1.fate == null || e1.fateSeq > e2.fateSeq;
                    boolean takeable = e1.deliverableTo(e2.fatePid)
                            || (e1.freeMarkedSeq >= 0 && e1.freeMarkedSeq < e2.fateSeq);
                    if (stillQueued && takeable) {
                        v.add(new Violation(r.runId, Property.FIFO, e2.fateStep, e2.fateSeq, e2 + " (sent at step "
                                + e2.sendStep + ") delivered while the earlier " + e1 + " (sent at step " + e1.sendStep
                                + ") was still queued"));
                        return;
                    }
                }
            }
        }
    }

    /** At the end: every queued event is in the queue count, and the drain took what it could. */
    private static void balance(RunRecord r, EventLedger led, List<Violation> v) {
        for (Map.Entry<Ref, Integer> e : r.portIds.entrySet()) {
            Ref port = e.getKey();
            List<Kev> queued = led.queuedAfter(port, r.last.step());
            PortQueue.Snapshot s = r.last.obs().snap(port);
            if (s == null) {
                continue;
            }
            int inQueue = s.nent() + s.tnent();
            if (queued.size() != inQueue) {
                long sent = led.kevs.values().stream().filter(k -> k.port == port).count();
                v.add(new Violation(r.runId, Property.ACCOUNTING, r.last.step(), null, "port " + port + ": " + sent
                        + " sent, " + (sent - queued.size()) + " delivered or discarded, so " + queued.size()
                        + " should be queued, but the queue holds " + inQueue));
            }
            for (CallLog c : r.calls) {
                if (c.drain && c.call instanceof Program.Getn && ((Program.Getn) c.call).max() == 0
                        && c.call.refs().get(0) == port && c.done()) {
                    Integer pid = r.pids.get(c.proc);
                    for (Kev k : led.queuedAfter(port, c.endStep)) {
                        if (pid != null && k.deliverableTo(pid) && k.freeMarkedSeq < 0) {
                            v.add(new Violation(r.runId, Property.ACCOUNTING, c.endStep, null, k
                                    + " is still queued after " + c.proc + " polled the port empty"));
                            break;
                        }
                    }
                }
            }
        }
    }

    // ---- liveness --------------------------------------------------------------------------

    public static final RunCheck LIVENESS = new PerRun("liveness") {
        @Override
        List<Violation> check(RunRecord r) {
            List<Violation> v = new ArrayList<>();
            EndState e = r.settled;
            if (e == null) {
                return v;
            }
            EventLedger led = null;
            boolean closeHang = false;
            List<CallLog> otherCloses = new ArrayList<>();
            List<Ref> stuckPorts = new ArrayList<>();
            for (EndState.Blocked b : e.blocked()) {
                if (b.runnable() || !b.state().equals("BLOCKED")) {
                    continue; // DRIVER reports it
                }
                CallLog c = b.call();
                Program.Call call = c.call;
                String who = c.actor + "[" + c.index + "] " + call + " (" + c.proc + ")";
                if (call instanceof Program.Close || call instanceof Program.Exit) {
                    if (startedLastClose(r, c)) {
                        closeHang = true;
                        v.add(new Violation(r.runId, Property.CLOSE_HANG, e.step(), null, who
                                + " is a last close that never finishes"));
                    } else {
                        otherCloses.add(c);
                    }
                    continue;
                }
                if (call instanceof Program.Dispatch) {
                    Ref p = ((Program.Dispatch) call).port();
                    Integer curr = e.obs().curr().get(p);
                    if (curr != null && curr < r.program.maxEvents()) {
                        v.add(new Violation(r.runId, Property.STUCK, e.step(), null, who + " waits for a slot though"
                                + " port_curr is " + curr + " < " + r.program.maxEvents()));
                    }
                    continue;
                }
                Ref port = call.refs().isEmpty() ? null : call.refs().get(0);
                PortQueue.Snapshot s = port == null ? null : e.obs().snap(port);
                if (s == null) {
                    continue;
                }
                if (call instanceof Program.Getn && ((Program.Getn) call).max() == 0) {
                    if ((s.flags() & Ports.PORTQ_BLOCKED) == 0 && !stuckPorts.contains(port)) {
                        stuckPorts.add(port);
                        v.add(new Violation(r.runId, Property.STUCK, e.step(), null, who
                                + " waits for PORTQ_BLOCKED, which nobody holds"));
                    }
                    continue;
                }
                if (s.getn() > 0) {
                    if (!stuckPorts.contains(port)) {
                        stuckPorts.add(port);
                        v.add(new Violation(r.runId, Property.STUCK, e.step(), null, "port " + port + ": portq_getn "
                                + s.getn() + " with nobody in delivery (" + who + " waits)"));
                    }
                    continue;
                }
                if ((s.flags() & Ports.PORTQ_CLOSE) != 0) {
                    v.add(new Violation(r.runId, Property.STRANDED_WAITER, e.step(), null, who
                            + " still waits on a closing port"));
                    continue;
                }
                if ((s.flags() & Ports.PORTQ_ALERT) != 0) {
                    v.add(new Violation(r.runId, Property.STRANDED_WAITER, e.step(), null, who
                            + " waits although the port is in alert mode"));
                    continue;
                }
                int want = call instanceof Program.Getn ? ((Program.Getn) call).nget() : 1;
                if (led == null) {
                    led = new EventLedger(r);
                }
                Integer pid = r.pids.get(c.proc);
                int can = pid == null ? 0 : led.deliverableAfter(port, e.step(), pid);
                if (Integer.compareUnsigned(can, want) >= 0) {
                    v.add(new Violation(r.runId, Property.STRANDED_WAITER, e.step(), null, who + " waits for " + want
                            + " event(s) while " + can + " it could retrieve sit in the queue ("
                            + led.queuedAfter(port, e.step()) + ") and nobody retrieves"));
                }
            }
            if (!closeHang) {
                for (CallLog c : otherCloses) {
                    v.add(new Violation(r.runId, Property.STUCK, e.step(), null, c.actor + "[" + c.index + "] "
                            + c.call + " (" + c.proc + ") never finishes a close that is not the last"));
                }
            }
            return v;
        }
    };

    private static boolean startedLastClose(RunRecord r, CallLog c) {
        int from = r.step(c.startStep).traceFrom();
        for (int i = from; i < r.trace.size(); i++) {
            TraceRecord t = r.trace.get(i);
            if (t.thread().equals(c.simThread) && t.action().equals("port_close")
                    && (Boolean.TRUE.equals(t.get("lastclose")) || Objects.equals(t.get("lastclose"), 1))) {
                return true;
            }
        }
        return false;
    }
}
