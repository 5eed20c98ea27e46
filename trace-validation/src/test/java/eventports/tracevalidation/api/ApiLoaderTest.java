package eventports.tracevalidation.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Limits;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loader's own decisions (what the front end decides without a port, the trace's shape)
 * and the per-port split, on hand-written API traces: no TLC involved.
 */
class ApiLoaderTest {
    private final ApiTraceWriter w = new ApiTraceWriter("test", "loader", Limits.ILLUMOS_DEFAULTS.withPortMaxIds(2));

    private static ObjectNode f() {
        return ApiTraceWriter.fields();
    }

    /** T0 of P1 creates a port; returns its descriptor. */
    private int create(String t, int fd) {
        w.call(t, "P1", "port_create", f());
        w.returned(t, "P1", "port_create", f().put("ret", fd));
        return fd;
    }

    private ApiLoader load() {
        return ApiLoader.load("t", w.records());
    }

    private static void assertRejected(ApiLoader l, int seq, String why) {
        assertTrue(l.reject != null, "not rejected");
        assertEquals(seq, l.reject.at, l.reject.getMessage());
        assertTrue(l.reject.getMessage().contains(why), l.reject.getMessage());
    }

    @Test
    void aSendOnAClosedDescriptorMustFailWithEbadf() {
        int p = create("T0", 3);
        w.call("T0", "P1", "close", f().put("fd", p));
        w.returned("T0", "P1", "close", f().put("ret", 0));
        w.call("T0", "P1", "port_send", f().put("fd", p).put("events", 1).put("user", "u"));
        w.returned("T0", "P1", "port_send", f().put("ret", 0));
        assertRejected(load(), 6, "its front end decides {\"errno\":\"EBADF\"}");
    }

    @Test
    void aSendOnAnObjectThatIsNotAPortMustFailWithEbadfd() {
        w.env("fd_open", f().put("proc", "P1").put("fd", 4));
        w.call("T0", "P1", "port_send", f().put("fd", 4).put("events", 1).put("user", "u"));
        w.returned("T0", "P1", "port_send", f().put("errno", "EBADF"));
        assertRejected(load(), 3, "EBADFD");
    }

    @Test
    void getnWithNgetAboveMaxIsEinvalAndKeepsNget() {
        int p = create("T0", 3);
        w.call("T0", "P1", "port_getn", f().put("fd", p).put("max", 1).put("nget", 2).putNull("timeout"));
        w.returned("T0", "P1", "port_getn", f().put("errno", "EINVAL").put("nget", 2));
        assertNull(load().reject);
        w.call("T0", "P1", "port_getn", f().put("fd", p).put("max", 1).put("nget", 2).putNull("timeout"));
        w.returned("T0", "P1", "port_getn", f().put("errno", "EINVAL").put("nget", 0));
        assertRejected(load(), 6, "nget");
    }

    @Test
    void libcLeavesNgetAloneOnEintr() {
        int p = create("T0", 3);
        w.call("T1", "P1", "port_getn", f().put("fd", p).put("max", 4).put("nget", 2).putNull("timeout"));
        w.env("interrupt", f().put("thread", "T1"));
        w.returned("T1", "P1", "port_getn", f().put("errno", "EINTR").put("nget", 0));
        assertRejected(load(), 5, "libc leaves *nget (2) alone");
    }

    @Test
    void portCreateBeyondMaxPortIdsMustFailWithEagain() {
        create("T0", 3);
        create("T0", 4);
        w.call("T0", "P1", "port_create", f());
        w.returned("T0", "P1", "port_create", f().put("ret", 5));
        assertRejected(load(), 6, "2 ports alive (limit 2");
    }

    @Test
    void recordsCountFromZeroWithoutGaps() {
        create("T0", 3);
        List<ObjectNode> rs = w.records();
        rs.get(2).put("seq", 5);
        assertRejected(ApiLoader.load("t", rs), 2, "seq 5 where 2 was due");
    }

    @Test
    void aThreadBelongsToOneProcess() {
        create("T0", 3);
        w.call("T0", "P2", "port_create", f());
        assertRejected(load(), 3, "thread T0 belongs to P1, not P2");
    }

    @Test
    void aReturnNeedsItsCall() {
        create("T0", 3);
        w.returned("T1", "P1", "port_get", f().put("ret", 0));
        assertRejected(load(), 3, "without a call in progress");
    }

    @Test
    void aThreadMakesOneCallAtATime() {
        int p = create("T0", 3);
        w.call("T1", "P1", "port_get", f().put("fd", p).putNull("timeout"));
        w.call("T1", "P1", "port_get", f().put("fd", p).putNull("timeout"));
        assertRejected(load(), 4, "has not returned");
    }

    @Test
    void sendnIsSplitPerPortWithEachEntrysOutcome() {
        int a = create("T0", 3);
        int b = create("T0", 4);
        w.call("T0", "P1", "port_sendn", f().put("events", 1).put("user", "u").set("fds",
                ApiTraceWriter.JSON.createArrayNode().add(a).add(9).add(b).add(a)));
        w.returned("T0", "P1", "port_sendn", f().put("ret", 2).set("errors",
                ApiTraceWriter.JSON.createArrayNode().add(0).add("EBADF").add(0).add("EAGAIN")));
        ApiLoader l = load();
        assertNull(l.reject, () -> l.reject.getMessage());
        assertEquals(2, l.ports.size());
        PortTrace pa = l.ports.get(0);
        assertEquals(List.of("call", "ret"), pa.recs.stream().map(r -> r.get("k").asText()).collect(Collectors.toList()));
        assertEquals("[1,2]", pa.recs.get(0).get("evs").toString());
        assertEquals("[\"OK\",\"EAGAIN\"]", pa.recs.get(1).get("x").get("outs").toString());
        assertEquals(1, pa.events.get(1).prev, "the second entry on a port (event 2) follows the first (event 1)");
        assertEquals("[\"OK\"]", l.ports.get(1).recs.get(1).get("x").get("outs").toString());
    }

    @Test
    void sendnEntriesThatAreNotPortsGetTheFrontEndsErrno() {
        int a = create("T0", 3);
        w.call("T0", "P1", "port_sendn", f().put("events", 1).put("user", "u").set("fds",
                ApiTraceWriter.JSON.createArrayNode().add(a).add(9)));
        w.returned("T0", "P1", "port_sendn", f().put("ret", 2).putNull("errors"));
        assertRejected(load(), 4, "entry 1 is not a port of P1");
    }

    @Test
    void aTimedCallMayTimeOutOnlyAfterItsDeadline() {
        int p = create("T0", 3);
        w.call("T1", "P1", "port_get", f().put("fd", p).set("timeout", f().put("sec", 0).put("nsec", 5_000_000)));
        w.env("advance", f().put("ms", 4));
        w.env("advance", f().put("ms", 1));
        w.returned("T1", "P1", "port_get", f().put("errno", "ETIME"));
        PortTrace t = load().ports.get(0);
        // the call record allows ETIME after the second advance only (position 3 of the port trace)
        assertEquals(List.of("call", "adv", "ret"), t.recs.stream().map(r -> r.get("k").asText()).collect(Collectors.toList()));
        assertEquals(2, t.recs.get(0).get("expAt").asInt());
        assertEquals(ApiLoader.NEVER, t.recs.get(0).get("intrAt").asInt());
    }

    @Test
    void dupsFrontEndAndItsNewDescriptor() {
        int p = create("T0", 3);
        w.call("T0", "P1", "dup", f().put("fd", 9).put("min", 0));
        w.returned("T0", "P1", "dup", f().put("errno", "EBADF"));
        w.call("T0", "P1", "dup", f().put("fd", p).put("min", -1));
        w.returned("T0", "P1", "dup", f().put("errno", "EINVAL"));
        w.call("T0", "P1", "dup", f().put("fd", p).put("min", 5));
        w.returned("T0", "P1", "dup", f().put("ret", 5));
        assertNull(load().reject);
        PortTrace t = load().ports.get(0);
        ObjectNode dup = t.recs.get(t.size() - 1);
        assertEquals("dup", dup.get("k").asText());
        assertEquals(5, dup.get("newfd").asInt());
        assertEquals(3, t.creatorFd);
        // a dup's new descriptor is at least min and not open
        w.call("T0", "P1", "dup", f().put("fd", p).put("min", 4));
        w.returned("T0", "P1", "dup", f().put("ret", 3));
        assertRejected(load(), 10, "a descriptor not open, at least 4");
    }

    @Test
    void everyCallOfAnExitedProcessFailsWithEbadf() {
        int p = create("T0", 3);
        w.call("P1#exit", "P1", "exit", f());
        w.returned("P1#exit", "P1", "exit", f().put("ret", 0));
        w.call("T0", "P1", "port_create", f());
        w.returned("T0", "P1", "port_create", f().put("ret", 4));
        assertRejected(load(), 6, "its front end decides {\"errno\":\"EBADF\"}");
    }

    @Test
    void theHeadersLayerIsDescriptorsOrPortfs() {
        assertTrue(load().fdLayer);
        ApiTraceWriter portfs = new ApiTraceWriter("test", "loader", Limits.ILLUMOS_DEFAULTS,
                eventports.kernel.Layer.PORTFS);
        assertTrue(!ApiLoader.load("t", portfs.records()).fdLayer);
        List<ObjectNode> bad = new java.util.ArrayList<>(w.records());
        bad.set(0, bad.get(0).deepCopy().put("layer", "fio"));
        assertRejected(ApiLoader.load("t", bad), 0, "\"layer\" must be");
    }

    @Test
    void malformedFilesAreOneLineErrors(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.ndjson");
        Files.writeString(f, "{\"seq\":0,\"kind\":\"call\"}\n");
        IOException e = assertThrows(IOException.class, () -> ApiTraceIo.read(f));
        assertTrue(e.getMessage().endsWith(":1: the first record must be the header"), e.getMessage());
        Files.writeString(f, "{\"seq\":0,\"kind\":\"header\",\"level\":\"api\"}\n{\"seq\":1,\"kind\":\"oops\"}\n");
        e = assertThrows(IOException.class, () -> ApiTraceIo.read(f));
        assertTrue(e.getMessage().contains(":2: unknown \"kind\""), e.getMessage());
    }
}
