package eventports.cli;

import eventports.tracevalidation.WarmTlc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code trace validate --servers DIR}: two commands share one warm TLC server through DIR (the
 * second finds the first one's port), give the verdict of a cold validation, and leave this
 * JVM's setting as it was.
 */
class TraceServersTest {
    private static final String SCENARIO = "../conformance/scenarios/alert-wakes-every-waiter.json";

    @TempDir
    Path dir;

    @AfterEach
    void retireServers() throws Exception {
        Files.deleteIfExists(dir.resolve("servers").resolve("slot-0.port"));   // its server leaves
    }

    @Test
    void twoCommandsShareOneServerAndGiveTheColdVerdict() throws Exception {
        Path traces = dir.resolve("traces");
        assertEquals(0, Main.run("conformance", "--profile", "illumos", "--write-traces", traces.toString(), SCENARIO));
        String trace = traces.resolve("alert-wakes-every-waiter.illumos.ndjson").toString();
        Path servers = dir.resolve("servers");
        assertEquals(0, Main.run("trace", "validate", "--servers", servers.toString(), trace));
        String port = Files.readString(servers.resolve("slot-0.port"));
        assertNull(System.getProperty(WarmTlc.SHARED_SERVERS), "the command's setting ends with it");
        assertEquals(0, Main.run("trace", "validate", "--servers", servers.toString(), trace));
        assertEquals(port, Files.readString(servers.resolve("slot-0.port")), "the second command used the first one's server");
        assertEquals(0, Main.run("trace", "validate", trace), "cold");
    }
}
