package eventports.explore;

import eventports.conformance.CallResult;
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
 * Every call's outcome is one illumos allows for it (the man pages and port.c), predicted from
 * what the driver saw when the call started (descriptor table, queue flags, allocated slots)
 * and what happened while it ran (signals, time, alerts, a last close); a call that cannot wait
 * did not block.
 */
final class ResultCheck extends PerRunCheck {
    /** Per call: whether it may have blocked where it did, and whether its outcome is one its inputs allow. */
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
        if (exitedBefore(r, c)) {
            // an exited process makes no call (issue 18 D19): every call fails with EBADF
            if (!errno(res, "EBADF")) {
                v.add(bad.apply("a call of an exited process fails with EBADF"));
            }
            return v;
        }
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
            } else if (!returned(res, 0) && !(errno(res, "EINTR") && (c.interrupted || exitedDuring(r, c)))
                    && !(errno(res, "EBADF") && evicted(r, c))) {
                v.add(bad.apply("port_dispatch returns 0 (or EINTR when a signal or its process's exit reaches it"
                        + " while it waits, EBADF when its process closes the port under it)"));
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
                return c.interrupted || exitedDuring(r, c) ? null
                        : "EINTR but no signal (nor its process's exit) reached the call";
            case "EBADF":
                return evicted(r, c) ? null : "EBADF but its process did not close the descriptor under it";
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

    /** The call's process began exit(2) before the call started: no call of it starts any more. */
    private static boolean exitedBefore(RunRecord r, CallLog c) {
        return r.calls.stream().anyMatch(e -> e != c && e.call instanceof Program.Exit && e.proc.equals(c.proc)
                && e.startStep < c.startStep);
    }

    /** exit(2) of the call's process began while the call ran (exitlwps ends it with EINTR). */
    private static boolean exitedDuring(RunRecord r, CallLog c) {
        int end = c.done() ? c.endStep : Integer.MAX_VALUE;
        return r.calls.stream().anyMatch(e -> e != c && e.call instanceof Program.Exit && e.proc.equals(c.proc)
                && e.startStep > c.startStep && e.startStep < end);
    }

    /** A close(2) of the call's descriptor by its own process marked the call stale (fio.c closeandsetf). */
    private static boolean evicted(RunRecord r, CallLog c) {
        int from = r.step(c.startStep).traceFrom();
        int to = c.done() ? r.step(c.endStep).traceTo() : r.trace.size();
        for (int i = from; i < to && i < r.trace.size(); i++) {
            TraceRecord t = r.trace.get(i);
            if (t.action().equals("closeandsetf") && t.get("stale") instanceof List
                    && ((List<?>) t.get("stale")).contains(c.simThread)) {
                return true;
            }
        }
        return false;
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

    @Override
    public String name() {
        return "results";
    }
}
