package eventports.explore;

import eventports.conformance.CallResult;
import eventports.explore.EventLedger.Kev;
import eventports.explore.Program.Ref;
import eventports.kernel.PortEvent;
import eventports.kernel.PortQueue;
import eventports.kernel.Ports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The event ledger ({@link EventLedger}): returned events are exactly the trace's deliveries, a
 * send reports what it sent, nothing is delivered twice or to a process that may not see it,
 * nothing is lost, FIFO per port, and at the end sent = delivered + queued + discarded on a
 * documented path.
 */
final class EventCheck extends PerRunCheck {
    /** Per call its sends and deliveries against the ledger; then FIFO per port and, after the drain, the balance. */
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

    @Override
    public String name() {
        return "events";
    }
}
