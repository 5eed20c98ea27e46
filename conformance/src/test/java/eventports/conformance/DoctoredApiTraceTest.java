package eventports.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Profile;
import eventports.tracevalidation.api.ApiValidator;
import eventports.tracevalidation.api.ApiVerdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API-level checker's teeth: genuine API traces of corpus scenarios (illumos profile) are
 * accepted, and each doctored copy — what a faulty implementation could have written — is
 * rejected at exactly the doctored record. All variants go to TLC in one batch. The five
 * doctorings of issue 12 come first; then three of the environment's records (deadline,
 * interrupt, sleep), two of the event sources' payloads (FD user, timer expiry count),
 * four of the descriptor layer (eviction, dup, descriptor passing, exit), two of nested
 * ports (an event outside its association's mask, one firing delivered twice) and five of the
 * FILE source (a watch firing twice for one association, an event outside the watch's mask, an
 * exception event with another watch's cookie or before any file system call, a watch kept
 * after the exception that dropped it).
 */
class DoctoredApiTraceTest {
    /** Per case: the trace and the seq of the record the validator must name (-1: accepted). */
    private static final Map<String, List<ObjectNode>> TRACES = new LinkedHashMap<>();
    private static final Map<String, Integer> REJECT_AT = new LinkedHashMap<>();
    private static final Map<String, ApiVerdict> VERDICTS = new LinkedHashMap<>();

    @BeforeAll
    static void validateAll() throws Exception {
        // a return moved before the send whose event it delivers
        List<ObjectNode> woken = genuine("fork-child-waiter-woken-by-parent");
        int ret = indexOf(woken, kind("return").and(thread("T2")));
        int send = indexOf(woken, kind("call").and(op("port_send")));
        case_("reordered-return", move(woken, ret, send), send);

        // EINTR reported as ETIME by a call without a timeout
        List<ObjectNode> intr = genuine("eintr-blocked-get");
        int eintr = indexOf(intr, r -> "EINTR".equals(r.path("errno").asText()));
        intr.get(eintr).put("errno", "ETIME");
        case_("wrong-errno", intr, eintr);

        // the first event delivered again by the second port_get
        List<ObjectNode> fifo = genuine("get-fifo-single-events");
        int first = indexOf(fifo, kind("return").and(op("port_get")));
        int second = indexOf(fifo, kind("return").and(op("port_get")), 1);
        fifo.get(second).set("events", fifo.get(first).get("events").deepCopy());
        case_("delivered-twice", fifo, second);

        // equal payloads are interchangeable, but three sends of one payload are three events, not four
        List<ObjectNode> same = genuine("send-no-coalescing-fifo");
        int all = indexOf(same, kind("return").and(op("port_getn")), 1);
        ((ArrayNode) same.get(all).get("events")).set(3,
                same.get(all).get("events").get(0).deepCopy());
        case_("equal-payload-delivered-once-too-often", same, all);

        // P1's non-shareable dispatch event delivered to P2 (port_noshare denies it)
        List<ObjectNode> noshare = genuine("dispatch-noshare-invisible-to-other-process");
        int p2get = indexOf(noshare, kind("return").and(thread("T2")).and(op("port_getn")));
        int p1get = indexOf(noshare, kind("return").and(thread("T1")).and(op("port_get")));
        noshare.get(p2get).put("nget", 1).set("events", noshare.get(p1get).get("events").deepCopy());
        case_("delivered-to-other-process", noshare, p2get);

        // a FIFO waiter queue: two waiters asleep, one send, and the first waiter gets the event
        // where illumos' ring (equal counts: the last one queued is the head) wakes the second
        List<ObjectNode> ring = genuine("ring-ties-lifo");
        int sent = indexOf(ring, kind("return").and(op("port_send")));
        List<ObjectNode> fifoOrder = new ArrayList<>(ring.subList(0, sent + 1));
        ObjectNode t1 = ring.get(indexOf(ring, kind("return").and(thread("T2")))).deepCopy().put("thread", "T1");
        fifoOrder.add(t1);
        fifoOrder.add(ring.get(indexOf(ring, kind("sleep").and(thread("T2")))).deepCopy());
        for (ObjectNode r : ring.subList(indexOf(ring, kind("call").and(op("port_send")), 1), ring.size())) {
            fifoOrder.add(r.deepCopy().put("thread", r.get("thread").asText().equals("T1") ? "T2" : r.get("thread").asText()));
        }
        case_("woken-out-of-priority-order", renumber(fifoOrder), sent + 1);

        // the environment's records decide timeouts, interrupts and sleeps too: an ETIME one
        // millisecond before the deadline, an EINTR without an interrupt, a sleep after a wake-up
        List<ObjectNode> late = genuine("timeout-and-wakeup-together-get");
        late.get(indexOf(late, kind("env").and(op("advance")))).put("ms", 49);
        case_("etime-before-deadline", late, indexOf(late, r -> "ETIME".equals(r.path("errno").asText())));

        List<ObjectNode> noSignal = genuine("eintr-blocked-get");
        noSignal.remove(indexOf(noSignal, kind("env").and(op("interrupt"))));
        case_("eintr-without-interrupt", renumber(noSignal), indexOf(noSignal, r -> "EINTR".equals(r.path("errno").asText())));

        List<ObjectNode> awake = genuine("fork-child-waiter-woken-by-parent");
        int sendRet = indexOf(awake, kind("return").and(op("port_send")));
        awake.add(sendRet + 1, awake.get(indexOf(awake, kind("sleep").and(thread("T2")))).deepCopy());
        case_("asleep-after-wakeup", renumber(awake), sendRet + 1);

        // the event sources' payloads: an FD event with the user its re-association replaced, a
        // timer event that miscounts the expiries while it was queued
        List<ObjectNode> reassoc = genuine("fd-reassociate-replaces-mask");
        int fdGet = indexOf(reassoc, kind("return").and(op("port_getn")), 1);
        ((ObjectNode) reassoc.get(fdGet).get("events").get(0)).put("user", "a");
        case_("fd-event-with-old-user", reassoc, fdGet);

        List<ObjectNode> overrun = genuine("timer-overruns-counted-while-pending");
        int timerGet = indexOf(overrun, kind("return").and(op("port_getn")), 1);
        ((ObjectNode) overrun.get(timerGet).get("events").get(0)).put("events", 2);
        case_("timer-overruns-miscounted", overrun, timerGet);

        // the descriptor layer: a waiter its own process's close evicts returns EBADF, never
        // portfs' EBADFD of a last close with waiters
        List<ObjectNode> evicted = genuine("close-evicts-own-waiter-ebadf");
        int evictedRet = indexOf(evicted, kind("return").and(thread("T1")));
        evicted.get(evictedRet).put("errno", "EBADFD");
        case_("evicted-waiter-ebadfd", evicted, evictedRet);

        // a close of one of two descriptors (dup) of the port, or of the one a process received
        // (sendfd), is not the last close: a waiter on the other descriptor sleeps on
        List<ObjectNode> dupClose = lastCloseClaimed(genuine("close-other-descriptor-leaves-waiter"), "T0");
        case_("dup-close-claimed-last", dupClose, dupClose.size() - 1);
        List<ObjectNode> sendfdClose = lastCloseClaimed(genuine("sendfd-receiver-holds-port"), "T2");
        case_("sendfd-close-claimed-last", sendfdClose, sendfdClose.size() - 1);

        // exit(2) ends its process's calls with EINTR (exitlwps) before it closes: no eviction
        List<ObjectNode> exit = genuine("exit-ends-own-waiters-eintr");
        int exitIntr = indexOf(exit, r -> "EINTR".equals(r.path("errno").asText()));
        exit.get(exitIntr).put("errno", "EBADF");
        case_("exit-thread-evicted-ebadf", exit, exitIntr);

        // nested ports: the other port's readiness is free at this level, each port's own
        // protocol is not: the outer port's FD event with a bit its association did not ask for,
        // and the same firing delivered again by a later poll of the outer port
        List<ObjectNode> mask = genuine("port-poll-pollin-woken-by-send");
        int nestedGet = indexOf(mask, kind("return").and(thread("T2")));
        ((ObjectNode) mask.get(nestedGet).get("events").get(0)).put("events", 4);
        case_("nested-event-outside-mask", mask, nestedGet);

        List<ObjectNode> again = genuine("port-poll-pollin-woken-by-send");
        int outerGet = indexOf(again, kind("return").and(thread("T2")));
        ObjectNode poll = again.get(indexOf(again, kind("call").and(op("port_getn")))).deepCopy();
        poll.put("fd", again.get(indexOf(again, kind("call").and(thread("T2")))).get("fd").asInt());
        ObjectNode polled = again.get(outerGet).deepCopy().put("thread", "T1").put("op", "port_getn").put("nget", 1);
        again.addAll(outerGet + 1, List.of(poll, polled));
        case_("nested-fired-twice", renumber(again), outerGet + 2);

        // the FILE source: which file system call fires which event is the file system's, but
        // a watch fires once per association (the count query after the second write finds
        // nothing queued), and only with bits of its mask
        List<ObjectNode> twice = genuine("file-write-fires-modified-once");
        int count = indexOf(twice, kind("return").and(op("port_getn")), 1);
        twice.get(count).put("nget", 1);
        case_("file-watch-fires-twice", twice, count);

        List<ObjectNode> attrib = genuine("file-write-fires-modified-once");
        int fileGet = indexOf(attrib, kind("return").and(op("port_getn")));
        ((ObjectNode) attrib.get(fileGet).get("events").get(0)).put("events", 4);
        case_("file-event-outside-mask", attrib, fileGet);

        // the FILE source's exceptions (port_fop_excep): an exception event carries its watch's
        // cookie, comes during a file system call, and the watch it drops is gone (ENOENT)
        List<ObjectNode> cookie = genuine("file-unlink-delete-exception");
        int excGet = indexOf(cookie, kind("return").and(op("port_getn")));
        ((ObjectNode) cookie.get(excGet).get("events").get(0)).put("user", "d");
        case_("file-exception-event-with-other-cookie", cookie, excGet);

        List<ObjectNode> early = genuine("file-unlink-delete-exception");
        int unlink = indexOf(early, kind("call").and(op("file_unlink")));
        int earlyGet = indexOf(early, kind("call").and(op("port_getn")));
        List<ObjectNode> moved = move(move(early, earlyGet, unlink), earlyGet + 1, unlink + 1);
        case_("file-exception-before-its-file-system-call", moved, unlink + 1);

        List<ObjectNode> kept = genuine("file-unlink-delete-exception");
        int dissoc = indexOf(kept, kind("return").and(op("port_dissociate")));
        kept.get(dissoc).put("ret", 0).remove("errno");
        case_("file-watch-kept-after-its-exception", kept, dissoc);

        for (String s : List.of("fork-child-waiter-woken-by-parent", "eintr-blocked-get", "get-fifo-single-events",
                "dispatch-noshare-invisible-to-other-process", "ring-ties-lifo", "timeout-and-wakeup-together-get",
                "fd-reassociate-replaces-mask", "timer-overruns-counted-while-pending", "send-no-coalescing-fifo",
                "close-evicts-own-waiter-ebadf", "close-other-descriptor-leaves-waiter", "sendfd-receiver-holds-port",
                "exit-ends-own-waiters-eintr", "dup2-onto-open-port-closes-it", "close-evicts-dispatch-sleeper-ebadf",
                "port-poll-pollin-woken-by-send", "port-nested-three-levels", "file-write-fires-modified-once",
                "file-reassociate-takes-queued-event-back", "file-unlink-delete-exception")) {
            TRACES.put("genuine:" + s, genuine(s));
            REJECT_AT.put("genuine:" + s, -1);
        }
        List<ApiValidator.ApiTrace> traces = new ArrayList<>();
        TRACES.forEach((name, t) -> traces.add(new ApiValidator.ApiTrace(name, Profile.ILLUMOS, t)));
        List<ApiVerdict> vs = ApiValidator.validate(traces);
        for (ApiVerdict v : vs) {
            VERDICTS.put(v.id(), v);
            System.out.println(v.report().lines().limit(2).reduce((a, b) -> a + "\n" + b).orElse(""));
        }
    }

    @Test
    void genuineTracesAreAccepted() {
        REJECT_AT.forEach((name, at) -> {
            if (at < 0) {
                assertTrue(VERDICTS.get(name).accepted(), VERDICTS.get(name).report());
            }
        });
    }

    @Test
    void aReorderedReturnIsRejected() {
        assertRejectedAtDoctoredRecord("reordered-return");
    }

    @Test
    void aWrongErrnoIsRejected() {
        assertRejectedAtDoctoredRecord("wrong-errno");
    }

    @Test
    void anEventDeliveredTwiceIsRejected() {
        assertRejectedAtDoctoredRecord("delivered-twice");
    }

    @Test
    void anEqualPayloadDeliveredOnceTooOftenIsRejected() {
        assertRejectedAtDoctoredRecord("equal-payload-delivered-once-too-often");
    }

    @Test
    void anEventDeliveredToAProcessThatMayNotSeeItIsRejected() {
        assertRejectedAtDoctoredRecord("delivered-to-other-process");
    }

    @Test
    void aWaiterWokenOutOfPriorityOrderIsRejected() {
        assertRejectedAtDoctoredRecord("woken-out-of-priority-order");
    }

    @Test
    void aTimeoutBeforeTheDeadlineIsRejected() {
        assertRejectedAtDoctoredRecord("etime-before-deadline");
    }

    @Test
    void anEintrWithoutAnInterruptIsRejected() {
        assertRejectedAtDoctoredRecord("eintr-without-interrupt");
    }

    @Test
    void aSleepAfterAWakeUpIsRejected() {
        assertRejectedAtDoctoredRecord("asleep-after-wakeup");
    }

    @Test
    void anFdEventWithTheUserItsReassociationReplacedIsRejected() {
        assertRejectedAtDoctoredRecord("fd-event-with-old-user");
    }

    @Test
    void aTimerEventThatMiscountsItsExpiriesIsRejected() {
        assertRejectedAtDoctoredRecord("timer-overruns-miscounted");
    }

    @Test
    void anEvictedWaiterReturningEbadfdIsRejected() {
        assertRejectedAtDoctoredRecord("evicted-waiter-ebadfd");
    }

    @Test
    void aCloseOfADupdDescriptorClaimedToBeTheLastIsRejected() {
        assertRejectedAtDoctoredRecord("dup-close-claimed-last");
    }

    @Test
    void aCloseOfAPassedDescriptorClaimedToBeTheLastIsRejected() {
        assertRejectedAtDoctoredRecord("sendfd-close-claimed-last");
    }

    @Test
    void anExitingProcesssWaiterReturningEbadfIsRejected() {
        assertRejectedAtDoctoredRecord("exit-thread-evicted-ebadf");
    }

    @Test
    void aFileWatchFiringTwicePerAssociationIsRejected() {
        assertRejectedAtDoctoredRecord("file-watch-fires-twice");
    }

    @Test
    void aFileEventOutsideItsWatchsMaskIsRejected() {
        assertRejectedAtDoctoredRecord("file-event-outside-mask");
    }

    @Test
    void aFileExceptionEventWithAnotherCookieIsRejected() {
        assertRejectedAtDoctoredRecord("file-exception-event-with-other-cookie");
    }

    @Test
    void aFileExceptionEventBeforeAnyFileSystemCallIsRejected() {
        assertRejectedAtDoctoredRecord("file-exception-before-its-file-system-call");
    }

    @Test
    void aFileWatchKeptAfterItsExceptionIsRejected() {
        assertRejectedAtDoctoredRecord("file-watch-kept-after-its-exception");
    }

    @Test
    void aNestedPortsEventOutsideItsAssociationsMaskIsRejected() {
        assertRejectedAtDoctoredRecord("nested-event-outside-mask");
    }

    @Test
    void aNestedPortsEventDeliveredTwiceIsRejected() {
        assertRejectedAtDoctoredRecord("nested-fired-twice");
    }

    /**
     * {@code rs} cut after the return of thread {@code closer}'s close, followed by the return
     * of P1's waiter T1 (in port_get) with EBADFD, as if that close had been the port's last
     * (illumos ends the waiters of a last close with EBADFD).
     */
    private static List<ObjectNode> lastCloseClaimed(List<ObjectNode> rs, String closer) {
        int closed = indexOf(rs, kind("return").and(thread(closer)).and(op("close")));
        List<ObjectNode> out = new ArrayList<>(rs.subList(0, closed + 1));
        ObjectNode ret = rs.get(closed).deepCopy().put("thread", "T1").put("proc", "P1").put("op", "port_get")
                .put("errno", "EBADFD");
        ret.remove("ret");
        ret.putArray("events");
        out.add(ret);
        return renumber(out);
    }

    private static void assertRejectedAtDoctoredRecord(String name) {
        ApiVerdict v = VERDICTS.get(name);
        int at = REJECT_AT.get(name);
        assertFalse(v.accepted(), name + " was accepted");
        assertEquals(at, v.firstRejected(), v.report());
        assertEquals(TRACES.get(name).get(at).toString(), v.rejectedRecord(), v.report());
        assertTrue(v.why().startsWith("no behaviour of spec/EventPort.tla"), v.report());
    }

    private static void case_(String name, List<ObjectNode> trace, int rejectAt) {
        TRACES.put(name, trace);
        REJECT_AT.put(name, rejectAt);
    }

    /** The API trace of a corpus scenario's illumos run (copies: the caller may edit them). */
    private static List<ObjectNode> genuine(String scenario) throws ScenarioException {
        Scenario sc = Scenario.parse(ConformanceCorpusTest.CORPUS.resolve(scenario + ".json"));
        ApiTraces.Run run = ApiTraces.run(sc, Profile.ILLUMOS);
        assertTrue(run.verdict().passed(), run.verdict().failure());
        List<ObjectNode> out = new ArrayList<>();
        run.records().forEach(r -> out.add(r.deepCopy()));
        return out;
    }

    /** {@code rs} with record {@code from} moved to index {@code to}, renumbered. */
    private static List<ObjectNode> move(List<ObjectNode> rs, int from, int to) {
        List<ObjectNode> out = new ArrayList<>(rs);
        out.add(to, out.remove(from));
        return renumber(out);
    }

    /** seq = index, as the format requires. */
    private static List<ObjectNode> renumber(List<ObjectNode> rs) {
        for (int n = 0; n < rs.size(); n++) {
            rs.get(n).put("seq", n);
        }
        return rs;
    }

    private static int indexOf(List<ObjectNode> rs, Predicate<ObjectNode> p) {
        return indexOf(rs, p, 0);
    }

    private static int indexOf(List<ObjectNode> rs, Predicate<ObjectNode> p, int nth) {
        int seen = 0;
        for (int n = 0; n < rs.size(); n++) {
            if (p.test(rs.get(n)) && seen++ == nth) {
                return n;
            }
        }
        throw new AssertionError("record not found in " + rs);
    }

    private static Predicate<ObjectNode> kind(String k) {
        return r -> r.path("kind").asText().equals(k);
    }

    private static Predicate<ObjectNode> thread(String t) {
        return r -> r.path("thread").asText().equals(t);
    }

    private static Predicate<ObjectNode> op(String o) {
        return r -> r.path("op").asText().equals(o);
    }

}
