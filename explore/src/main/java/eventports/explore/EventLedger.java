package eventports.explore;

import eventports.trace.TraceRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every event of a run and what became of it, read from the trace: sent
 * ({@code port_send_event}), then delivered or discarded ({@code port_copy_event} outcome
 * deliver / discard), or discarded by a last close ({@code port_close_events}); marked FREE by a
 * per-process close (any record with a {@code marked} list); and the deliveries the last thread
 * out of a closing port dropped ({@code port_unblock} {@code lost}). The call that emitted a
 * record is the call of the step that emitted it (one simulated thread runs per step). What
 * cannot be attributed is reported as a problem.
 */
final class EventLedger {
    /** One event structure (port_kevent_t) and its fate. */
    static final class Kev {
        long id;
        int portId;
        Program.Ref port;
        int owner;
        String user;
        boolean noshare;
        int source;
        int events;
        long sendSeq;
        int sendStep;
        CallLog call;
        long freeMarkedSeq = -1;
        int freeMarkedStep;
        /** "deliver", "discard" or "close"; null while queued. */
        String fate;
        long fateSeq;
        int fateStep;
        int fatePid;
        CallLog fateCall;

        boolean deliverableTo(int pid) {
            return !noshare || owner == pid;
        }

        /** Queued (not yet delivered or discarded) after {@code step}. */
        boolean queuedAfter(int step) {
            return sendStep <= step && (fate == null || fateStep > step);
        }

        @Override
        public String toString() {
            return user + "@" + port + "(kev " + id + ")";
        }
    }

    final RunRecord run;
    final Map<Long, Kev> kevs = new LinkedHashMap<>();
    final Map<CallLog, List<Kev>> sentBy = new IdentityHashMap<>();
    final Map<CallLog, List<Kev>> deliveredBy = new IdentityHashMap<>();
    final Map<CallLog, Integer> lostBy = new IdentityHashMap<>();
    /** Port id → seq of the first last-close record. */
    final Map<Integer, Long> lastCloseSeq = new HashMap<>();
    final List<Violation> problems = new ArrayList<>();

    EventLedger(RunRecord run) {
        this.run = run;
        for (StepRecord s : run.steps) {
            for (int i = s.traceFrom(); i < s.traceTo() && i < run.trace.size(); i++) {
                take(s, run.trace.get(i));
            }
        }
    }

    private void problem(Property p, StepRecord s, TraceRecord r, String m) {
        problems.add(new Violation(run.runId, p, s.index(), r.seq(), m));
    }

    private void take(StepRecord s, TraceRecord r) {
        CallLog c = s.call();
        if (c != null && !r.thread().equals(c.simThread) && isEventRecord(r)) {
            problem(Property.TRACE_CONSISTENCY, s, r, r.action() + " record from " + r.thread() + " during a step of "
                    + c.simThread);
        }
        Object marked = r.get("marked");
        if (marked instanceof Collection) {
            for (Object o : (Collection<?>) marked) {
                Kev k = o instanceof Number ? kevs.get(((Number) o).longValue()) : null;
                if (k == null) {
                    problem(Property.ACCOUNTING, s, r, "marked FREE an event that was never sent: " + o);
                } else if (k.freeMarkedSeq < 0) {
                    k.freeMarkedSeq = r.seq();
                    k.freeMarkedStep = s.index();
                }
            }
        }
        switch (r.action()) {
            case "port_send_event": {
                if (Boolean.TRUE.equals(r.get("already_queued"))) {
                    return;
                }
                long id = kevId(r);
                if (kevs.containsKey(id)) {
                    problem(Property.ACCOUNTING, s, r, "event structure " + id + " sent twice");
                    return;
                }
                Kev k = new Kev();
                k.id = id;
                k.portId = r.port();
                k.port = run.refOfPortId(r.port());
                k.owner = r.pid();
                k.sendSeq = r.seq();
                k.sendStep = s.index();
                k.source = r.getInt("source");
                k.call = c;
                if (c == null) {
                    problem(Property.TRACE_CONSISTENCY, s, r, "an event was sent during a step that made no call");
                    k.user = "?";
                } else {
                    k.user = c.user;
                    k.noshare = c.call instanceof Program.Dispatch && ((Program.Dispatch) c.call).noshare();
                    k.events = eventsOf(c.call);
                    sentBy.computeIfAbsent(c, x -> new ArrayList<>()).add(k);
                }
                kevs.put(id, k);
                return;
            }
            case "port_copy_event": {
                String outcome = String.valueOf(r.get("outcome"));
                if (outcome.equals("deny")) {
                    return;
                }
                Kev k = kevs.get(kevId(r));
                if (k == null) {
                    problem(Property.ACCOUNTING, s, r, outcome + " of an event that was never sent (kev " + kevId(r) + ")");
                    return;
                }
                if (outcome.equals("discard") && (k.freeMarkedSeq < 0 || k.freeMarkedSeq > r.seq())) {
                    problem(Property.ACCOUNTING, s, r, "discarded " + k + " that no per-process close marked FREE");
                }
                if (outcome.equals("deliver") && k.freeMarkedSeq >= 0) {
                    problem(Property.EVENT_ONCE, s, r, "delivered " + k + " after a close marked it FREE");
                }
                fate(s, r, k, outcome.equals("deliver") ? "deliver" : "discard");
                if (outcome.equals("deliver") && c != null) {
                    deliveredBy.computeIfAbsent(c, x -> new ArrayList<>()).add(k);
                }
                return;
            }
            case "port_close_events": {
                Kev k = kevs.get(kevId(r));
                if (k == null) {
                    problem(Property.ACCOUNTING, s, r, "last close discarded an event that was never sent (kev "
                            + kevId(r) + ")");
                    return;
                }
                if (!lastCloseSeq.containsKey(r.port())) {
                    problem(Property.ACCOUNTING, s, r, "port_close_events on a port no last close started");
                }
                fate(s, r, k, "close");
                return;
            }
            case "port_unblock": {
                Object lost = r.get("lost");
                if (lost instanceof Number && ((Number) lost).intValue() > 0 && c != null) {
                    lostBy.merge(c, ((Number) lost).intValue(), Integer::sum);
                }
                return;
            }
            case "port_close": {
                Object last = r.get("lastclose");
                boolean isLast = Boolean.TRUE.equals(last) || (last instanceof Number && ((Number) last).intValue() == 1);
                if (isLast) {
                    lastCloseSeq.putIfAbsent(r.port(), r.seq());
                }
                return;
            }
            default:
                return;
        }
    }

    private void fate(StepRecord s, TraceRecord r, Kev k, String what) {
        if (k.fate != null) {
            problem(Property.EVENT_ONCE, s, r, k + " " + what + " after it was already " + k.fate + "ed at step "
                    + k.fateStep);
            return;
        }
        k.fate = what;
        k.fateSeq = r.seq();
        k.fateStep = s.index();
        k.fatePid = r.pid();
        k.fateCall = s.call();
    }

    private static boolean isEventRecord(TraceRecord r) {
        switch (r.action()) {
            case "port_send_event":
            case "port_copy_event":
            case "port_unblock":
                return true;
            default:
                return false;
        }
    }

    private static long kevId(TraceRecord r) {
        Object k = r.get("kev");
        return k instanceof Number ? ((Number) k).longValue() : -1;
    }

    static int eventsOf(Program.Call c) {
        if (c instanceof Program.Send) {
            return ((Program.Send) c).events();
        }
        if (c instanceof Program.Sendn) {
            return ((Program.Sendn) c).events();
        }
        if (c instanceof Program.Dispatch) {
            return ((Program.Dispatch) c).events();
        }
        return 0;
    }

    /** Events of {@code port} queued after {@code step}, in send order. */
    List<Kev> queuedAfter(Program.Ref port, int step) {
        List<Kev> l = new ArrayList<>();
        for (Kev k : kevs.values()) {
            if (k.port == port && k.queuedAfter(step)) {
                l.add(k);
            }
        }
        return l;
    }

    /** Of those, how many process {@code pid} could retrieve (not FREE, shareable or its own). */
    int deliverableAfter(Program.Ref port, int step, int pid) {
        int n = 0;
        for (Kev k : queuedAfter(port, step)) {
            if ((k.freeMarkedSeq < 0 || k.freeMarkedStep > step) && k.deliverableTo(pid)) {
                n++;
            }
        }
        return n;
    }
}
