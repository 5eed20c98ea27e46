package eventports.tracevalidation;

import eventports.kernel.GetnResult;
import eventports.kernel.Limits;
import eventports.kernel.PortSystem;
import eventports.kernel.Proc;
import eventports.kernel.Profile;
import eventports.kernel.Timeout;
import eventports.sched.RealSched;
import eventports.sources.AioSource;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validator on the AIO source (PORT_SOURCE_AIO: one DEFAULT slot per request, reserved at
 * submission, sent by aio_done, owner-only delivery): a genuine run on real threads is
 * accepted; a completion claimed for another process's request, a completion sent twice, a
 * delivery to another process and a submission record of another process's slot are each
 * rejected at the record that betrays them. One TLC batch.
 */
class DoctoredAioTraceTest {
    private static final Timeout WAIT = Timeout.ofMillis(10_000);

    @TempDir
    static Path dir;

    static List<TraceRecord> genuine;
    static List<Verdict> verdicts;

    /** Wait (bounded) until {@code n} events are queued. */
    private static void awaitQueued(Proc p, int port, int n) throws Exception {
        for (int i = 0; i < 10_000; i++) {
            if (p.portGetn(port, 0, 0, null).nget() >= n) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no completion within the bound");
    }

    /**
     * A write completes; the child's retrieval is denied, the owner's delivers it; a read
     * completes and stays queued; the child closes (per-process), then the owner (the last
     * close takes the queued completion back).
     */
    static List<TraceRecord> run() throws Exception {
        MemorySink sink = new MemorySink();
        PortSystem sys = new PortSystem(Profile.ILLUMOS, Limits.ILLUMOS_DEFAULTS, new RealSched(), sink);
        Proc p = sys.spawn();
        int port = p.portCreate();
        Proc child = p.fork();
        Path f = dir.resolve("data");
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(f, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            AioSource.Aiocb w = AioSource.aioWrite(p, port, ch,
                    ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), 0, "w");
            awaitQueued(p, port, 1);
            GetnResult denied = child.portGetn(port, 4, 1, Timeout.POLL);
            assertEquals(0, denied.events().size(), "denied to the child");
            assertEquals("w", p.portGet(port, WAIT).user());
            assertEquals(5, w.aioReturn());
            AioSource.aioRead(p, port, ch, ByteBuffer.allocate(8), 0, "r");
            awaitQueued(p, port, 1);
        }
        child.close(port);
        p.close(port);
        return sink.records();
    }

    /** {@code r} as recorded by the child (pid + 1). */
    private static TraceRecord otherPid(TraceRecord r) {
        return new TraceRecord(r.seq(), r.action(), r.thread(), r.pid() + 1, r.port(), r.fields());
    }

    @BeforeAll
    static void validateAll() throws Exception {
        genuine = run();
        int done = Doctoring.indexOf(genuine, Doctoring.action("aio_done"));
        int rw = Doctoring.indexOf(genuine, Doctoring.action("aiorw"));
        int deny = Doctoring.indexOf(genuine, r -> r.action().equals("port_copy_event") && "deny".equals(r.get("outcome")));
        // the first completion is claimed for another process's request
        List<TraceRecord> wrongOwner = new ArrayList<>(genuine);
        wrongOwner.set(done, otherPid(genuine.get(done)));
        // the first completion (aio_done and its port_send_event) happens twice, right after its
        // send (another thread's record, a count query polling for the completion, may come
        // between the two: the send is found by its slot)
        int send = Doctoring.indexOf(genuine, r -> r.action().equals("port_send_event")
                && genuine.get(done).get("kev").equals(r.get("kev")));
        List<TraceRecord> twice = new ArrayList<>(genuine);
        twice.add(send + 1, genuine.get(done));
        twice.add(send + 2, genuine.get(send));
        // the child receives the owner's completion
        List<TraceRecord> toChild = new ArrayList<>(genuine);
        toChild.set(deny, Doctoring.with(genuine.get(deny), "outcome", "deliver"));
        // the submission is recorded by another process than the slot's owner
        List<TraceRecord> foreign = new ArrayList<>(genuine);
        foreign.set(rw, otherPid(genuine.get(rw)));
        // the parent and the child call from one JVM thread: one spec thread per process
        verdicts = Doctoring.validate(List.of("genuine", "wrongOwner", "twice", "toChild", "foreign"),
                List.of(genuine, wrongOwner, twice, toChild, foreign).stream().map(Trace::onePidPerThread).toList());
        verdicts.forEach(v -> System.out.println(v.report()));
    }

    @Test
    void theGenuineRunIsAccepted() {
        assertTrue(genuine.stream().anyMatch(r -> r.action().equals("aio_done")), "the run completed a request");
        assertTrue(verdicts.get(0).accepted(), verdicts.get(0).report());
    }

    @Test
    void aCompletionOfAnotherProcesssRequestIsRejected() {
        assertFalse(verdicts.get(1).accepted(), verdicts.get(1).report());
        assertTrue(verdicts.get(1).rejectedRecord().contains("aio_done"), verdicts.get(1).report());
    }

    @Test
    void aCompletionSentTwiceIsRejected() {
        assertFalse(verdicts.get(2).accepted(), verdicts.get(2).report());
    }

    @Test
    void aDeliveryToAnotherProcessIsRejected() {
        assertFalse(verdicts.get(3).accepted(), verdicts.get(3).report());
        assertTrue(verdicts.get(3).rejectedRecord().contains("port_copy_event"), verdicts.get(3).report());
    }

    @Test
    void aSubmissionByAnotherProcessIsRejected() {
        assertFalse(verdicts.get(4).accepted(), verdicts.get(4).report());
        assertTrue(verdicts.get(4).rejectedRecord().contains("aiorw"), verdicts.get(4).report());
    }
}
