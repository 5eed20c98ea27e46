package eventports.stress;

import eventports.trace.TraceRecord;
import eventports.trace.TraceSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stress harness's trace sink: it accounts for every event as the run goes, in memory
 * bounded by what is in flight, so that a run of any length can be checked (issue 14).
 *
 * <p>How. The core calls the sink on the thread that performs the step, inside the step's
 * critical section. A sender tells the sink, before each call, the user value the call sends
 * ({@link #beginCall}); the sink files each {@code port_send_event} of that thread as the event
 * (port, user) under its kevent id, in {@link #inFlight}. Every later record about that kevent
 * (delivery, FREE discard, discard at the last close) is made under the same port's
 * portq_mutex, so it finds the entry and retires it; finding none means a kevent handled twice
 * or never sent. What a thread's records said during one call is compared, exactly, with what
 * the call returned ({@link #endCall}): a sender's successful sends in order, a getter's
 * events (its deliveries minus those its pass lost). At the end nothing may be in flight:
 * every sent event then had exactly one fate. Memory: the queued events plus one call's worth
 * per thread.
 */
final class AccountingSink implements TraceSink {
    /** What one thread's records said during its current call. */
    static final class CallLog {
        /** The user value of the send call in progress (-1: none). */
        long user = -1;
        /** (port, user) keys of this call's port_send_event records, in order. */
        final List<Long> sent = new ArrayList<>();
        /** Keys this call delivered, minus those its passes lost. */
        final List<Long> delivered = new ArrayList<>();
        /** Keys delivered since the current pass began (portnowait / port_block). */
        final List<Long> pass = new ArrayList<>();
    }

    private final ThreadLocal<CallLog> calls = ThreadLocal.withInitial(CallLog::new);
    /** kevent id → (port, user) key of every event queued and not yet delivered or discarded. */
    private final Map<Long, Long> inFlight = new ConcurrentHashMap<>();
    /** What went wrong, for the run's failure report. */
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    /** Records that must never appear (a seed crash), kept whole for the failure message. */
    final List<TraceRecord> alarms = new ArrayList<>();
    final AtomicLong total = new AtomicLong();
    final AtomicLong denied = new AtomicLong();
    final AtomicLong traceSent = new AtomicLong();
    final AtomicLong traceDelivered = new AtomicLong();
    final AtomicLong discardedFree = new AtomicLong();
    final AtomicLong discardedClose = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    /** Records that handled a kevent not in flight: a second delivery, or one never sent. */
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong racingLastCloses = new AtomicLong();
    final AtomicLong maxThrcntAtLastClose = new AtomicLong();
    /** fd → port id, from port_create (every port of a run is created by one process, so fds are unique). */
    final Map<Integer, Integer> portOfFd = new ConcurrentHashMap<>();
    /** Where every record goes too (a trace file, a test's memory), or null. */
    private final TraceSink tee;

    AccountingSink(TraceSink tee) {
        this.tee = tee;
    }

    /** An event as one long (port id above bit 40, user value below). */
    static long key(int port, long user) {
        return ((long) port << 40) | user;
    }

    static String unkey(long k) {
        return "(port " + (k >>> 40) + ", user " + (k & ((1L << 40) - 1)) + ")";
    }

    @Override
    public void record(TraceRecord r) {
        total.incrementAndGet();
        if (tee != null) {
            tee.record(r);
        }
        switch (r.action()) {
            case "port_create":
                portOfFd.put(r.getInt("fd"), r.port());
                break;
            case "port_send_event":
                send(r);
                break;
            case "portnowait":
            case "port_block":
                calls.get().pass.clear();
                break;
            case "port_copy_event": {
                Object outcome = r.get("outcome");
                if ("deliver".equals(outcome)) {
                    long key = retire(r);
                    traceDelivered.incrementAndGet();
                    CallLog c = calls.get();
                    c.delivered.add(key);
                    c.pass.add(key);
                } else if ("discard".equals(outcome)) {
                    retire(r);
                    discardedFree.incrementAndGet();
                } else {
                    denied.incrementAndGet();
                }
                break;
            }
            case "port_unblock":
                if (r.fields().containsKey("lost")) {
                    lose(r);
                }
                break;
            case "port_close_events":
                retire(r);
                discardedClose.incrementAndGet();
                break;
            case "port_close":
                if (r.getInt("lastclose") == 1 && !Boolean.TRUE.equals(r.get("resume"))) {
                    int thrcnt = r.getInt("thrcnt");
                    if (thrcnt > 0) {
                        racingLastCloses.incrementAndGet();
                    }
                    maxThrcntAtLastClose.accumulateAndGet(thrcnt, Math::max);
                }
                break;
            case "port_check_return_cond":
                if (r.fields().containsKey("crash")) {
                    synchronized (alarms) {
                        alarms.add(r);
                    }
                }
                break;
            default:
                break;
        }
    }

    private void send(TraceRecord r) {
        if (r.get("already_queued") != null) {
            failure("a fresh event was already queued: " + r);
            return;
        }
        CallLog c = calls.get();
        if (c.user < 0) {
            failure("port_send_event outside a send call of the harness: " + r);
            return;
        }
        long key = key(r.port(), c.user);
        if (inFlight.put(kev(r), key) != null) {
            failure("kevent sent twice: " + r);
        }
        c.sent.add(key);
        traceSent.incrementAndGet();
    }

    /** The event of the kevent {@code r} delivers or discards, no longer in flight. */
    private long retire(TraceRecord r) {
        Long key = inFlight.remove(kev(r));
        if (key == null) {
            duplicates.incrementAndGet();
            failure("trace handles kevent " + kev(r) + ", which is not queued (never sent, or handled twice): " + r);
            return -1;
        }
        return key;
    }

    /** port_unblock lost=N: the last thread out of a closing port dropped its pass (port.c:1491-1500). */
    private void lose(TraceRecord r) {
        CallLog c = calls.get();
        int n = r.getInt("lost");
        if (n != c.pass.size()) {
            failure("port_unblock lost=" + n + " but the pass delivered " + c.pass.size() + ": " + r);
        }
        for (Long k : c.pass) {
            c.delivered.remove(k);
        }
        lost.addAndGet(c.pass.size());
        traceDelivered.addAndGet(-c.pass.size());
        c.pass.clear();
    }

    private void failure(String what) {
        if (failures.size() < StressRun.MAX_FAILURES) {
            failures.add(what);
        }
    }

    private static long kev(TraceRecord r) {
        return ((Number) r.get("kev")).longValue();
    }

    /** The calling thread is about to make a call; {@code user}: the value a send call sends, else -1. */
    void beginCall(long user) {
        CallLog c = calls.get();
        c.user = user;
        c.sent.clear();
        c.delivered.clear();
        c.pass.clear();
    }

    /**
     * The calling thread's call returned having sent {@code sent} and received {@code got}
     * (keys, in the order the API reported them): they must be what its records said.
     */
    void endCall(List<Long> sent, List<Long> got, String what) {
        CallLog c = calls.get();
        c.user = -1;
        if (!c.sent.equals(sent)) {
            failure(what + " sent " + keys(sent) + ", its port_send_event records say " + keys(c.sent));
        }
        if (!c.delivered.equals(got)) {
            failure(what + " received " + keys(got) + ", its port_copy_event records delivered " + keys(c.delivered)
                    + " (net of lost)");
        }
        c.sent.clear();
        c.delivered.clear();
    }

    private static List<String> keys(List<Long> ks) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ks.size() && i < 10; i++) {
            out.add(unkey(ks.get(i)));
        }
        return out;
    }

    /** Events still queued somewhere (0 once every process has exited). */
    int inFlight() {
        return inFlight.size();
    }
}
