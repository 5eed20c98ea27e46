package eventports.tracevalidation;

import eventports.kernel.Limits;
import eventports.kernel.Profile;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared warm servers (SharedTlc): a server outlives the JVM that started it and serves the
 * next JVM, with the cold verdicts; a server whose port file is gone leaves, and the next
 * validation starts another.
 */
class SharedTlcTest {
    @TempDir
    Path tmp;

    @AfterEach
    void unset() throws Exception {
        System.clearProperty(WarmTlc.SHARED_SERVERS);
        // retire this test's servers (they leave when their port file no longer names them)
        try (var s = Files.list(tmp.resolve("shared"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".port")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** DoctoredTraceTest's run; doctored as JobsTest doctors it (one more event delivered). */
    private static List<Trace> fixture(Path tmp, boolean doctored) throws Exception {
        List<TraceRecord> records = new ArrayList<>(DoctoredTraceTest.run());
        if (doctored) {
            int u = Doctoring.indexOf(records, Doctoring.action("port_unblock"));
            records.set(u, Doctoring.with(records.get(u), "delivered", records.get(u).getInt("delivered") + 1));
        }
        return List.of(new Trace(doctored ? "doctored" : "genuine", Profile.ILLUMOS,
                Limits.ILLUMOS_DEFAULTS.portMaxEvents(), records));
    }

    /** A validating JVM of its own: validates the fixture on DIR's shared servers and exits (0: accepted). */
    public static void main(String[] args) throws Exception {
        System.setProperty(WarmTlc.SHARED_SERVERS, args[0]);
        boolean ok = TraceValidator.validate(fixture(Path.of(args[1]), false), true).get(0).accepted();
        System.exit(ok ? 0 : 1);     // at once, as PIT ends a minion: no shutdown of anything shared
    }

    private int port(Path shared) throws Exception {
        return Integer.parseInt(Files.readString(shared.resolve("slot-0.port")).strip());
    }

    @Test
    void aServerOutlivesTheJvmThatStartedItAndServesTheNextWithTheColdVerdicts() throws Exception {
        Path shared = tmp.resolve("shared");
        Process other = new ProcessBuilder(TlcChild.javaCommand(tmp).get(0), "-cp", System.getProperty("java.class.path"),
                SharedTlcTest.class.getName(), shared.toString(), tmp.toString()).inheritIO().start();
        assertTrue(other.waitFor(5, TimeUnit.MINUTES), "the other JVM finished");
        assertEquals(0, other.exitValue(), "the other JVM's validation on a shared server accepted the fixture");
        int started = port(shared);

        System.setProperty(WarmTlc.SHARED_SERVERS, shared.toString());
        List<Verdict> sharedVerdicts = new ArrayList<>(TraceValidator.validate(fixture(tmp, false), true));
        sharedVerdicts.addAll(TraceValidator.validate(fixture(tmp, true), true));
        assertEquals(started, port(shared), "the server the other JVM started served this one");
        System.clearProperty(WarmTlc.SHARED_SERVERS);

        List<Verdict> cold = new ArrayList<>(TraceValidator.validate(fixture(tmp, false), false));
        cold.addAll(TraceValidator.validate(fixture(tmp, true), false));
        assertEquals(cold, sharedVerdicts);
        assertTrue(sharedVerdicts.get(0).accepted(), sharedVerdicts.get(0).report());
        assertFalse(sharedVerdicts.get(1).accepted(), "the doctored fixture is rejected");
    }

    @Test
    void aServerWhosePortFileIsGoneLeavesAndTheNextValidationStartsAnother() throws Exception {
        Path shared = tmp.resolve("shared");
        System.setProperty(WarmTlc.SHARED_SERVERS, shared.toString());
        assertTrue(TraceValidator.validate(fixture(tmp, false), true).get(0).accepted());
        int first = port(shared);
        Files.delete(shared.resolve("slot-0.port"));
        // it checks its port file between connections, about once a second
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        boolean listening = true;
        while (listening && System.nanoTime() < until) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), first)) {
                Thread.sleep(100);
            } catch (java.net.ConnectException e) {
                listening = false;
            }
        }
        assertFalse(listening, "the server left");
        assertTrue(TraceValidator.validate(fixture(tmp, false), true).get(0).accepted());
        assertNotEquals(first, port(shared), "another server");
    }

    @Test
    void aPortFileThatNamesNoServerIsReplaced() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Files.writeString(shared.resolve("slot-0.port"), "not a port");
        System.setProperty(WarmTlc.SHARED_SERVERS, shared.toString());
        assertTrue(TraceValidator.validate(fixture(tmp, false), true).get(0).accepted());
        assertTrue(port(shared) > 0, "a port now");
    }
}
