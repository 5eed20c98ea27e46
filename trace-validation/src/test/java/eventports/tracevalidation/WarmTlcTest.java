package eventports.tracevalidation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eventports.kernel.Limits;
import eventports.kernel.Profile;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warm servers give the cold verdicts, whatever an earlier run interned. The trace (a
 * corpus run: a process forks, sets an alert and exits; its child then polls) is accepted by
 * TLC with fresh classes, and by TLC with fresh classes that interned two of its thread names
 * in another order first — what an earlier run in the same JVM does. (It was rejected there
 * until Batch stopped letting TLC sort its arrays in place: BatchConstantsTest.)
 */
class WarmTlcTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE = "alert-owner-exit-clears-alert.illumos.ndjson";

    @TempDir
    Path tmp;

    /** A prepared directory for TlcChild with the fixture trace. */
    private Path prepared(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("batch.json"), "{\"profile\":\"illumos\",\"maxEvents\":65536,\"traces\":1}");
        try (InputStream in = WarmTlcTest.class.getResourceAsStream(TRACE)) {
            Files.copy(in, dir.resolve("trace-1.ndjson"));
        }
        return dir;
    }

    /** TlcChild's run of the fixture with fresh TLC classes, after interning {@code first} in them. */
    private boolean accepted(String name, String... first) throws Exception {
        Path dir = prepared(name);
        URL[] cp = WarmTlc.classPath();
        int rc;
        try (WarmTlc.Isolating cl = new WarmTlc.Isolating(cp, WarmTlcTest.class.getClassLoader())) {
            Class<?> us = Class.forName("util.UniqueString", true, cl);
            for (String s : first) {
                us.getMethod("uniqueStringOf", String.class).invoke(null, s);
            }
            var run = Class.forName(TlcChild.class.getName(), true, cl).getDeclaredMethod("runDir", Path.class);
            run.setAccessible(true);
            rc = (Integer) run.invoke(null, dir);
        }
        assertEquals(0, rc, "TLC ran");
        JsonNode res = JSON.readTree(dir.resolve("result.json").toFile());
        return res.get(0).get("accepted").asBoolean();
    }

    @Test
    void theVerdictDoesNotDependOnTheOrderInWhichTheJvmInternedTheThreadNames() throws Exception {
        // it did, through our loader, not TLC: Batch's constants were built on a domain array
        // that TLC's normalize had sorted (by intern order) in place, so ThreadProc paired
        // threads with the wrong pids whenever the intern order was not first appearance
        assertTrue(accepted("fresh"), "accepted by TLC with fresh classes");
        assertTrue(accepted("interned", "1/T1", "1/T2"), "accepted after the thread names were interned in another order");
        assertTrue(accepted("reversed", "1/T2", "1/T1"), "accepted after the thread names were interned in reverse order");
    }

    @Test
    void aWarmRunAfterAnotherTraceGivesTheColdVerdict() throws Exception {
        // the run that made the in-process verdict wrong: another trace first, then the fixture
        List<TraceRecord> other = SpeedTable.trace(40);
        List<TraceRecord> fixture;
        try (InputStream in = WarmTlcTest.class.getResourceAsStream(TRACE)) {
            Path f = tmp.resolve("fixture.ndjson");
            Files.copy(in, f);
            fixture = TraceIo.read(f);
        }
        int max = Limits.ILLUMOS_DEFAULTS.portMaxEvents();
        List<Trace> first = List.of(new Trace("other", Profile.ILLUMOS, max, other));
        List<Trace> second = List.of(new Trace("fixture", Profile.ILLUMOS, max, fixture));
        List<Verdict> warm = new ArrayList<>(TraceValidator.validate(first, true));
        warm.addAll(TraceValidator.validate(second, true));
        List<Verdict> cold = new ArrayList<>(TraceValidator.validate(first, false));
        cold.addAll(TraceValidator.validate(second, false));
        assertEquals(cold, warm);
        assertTrue(warm.get(1).accepted(), warm.get(1).report());
    }
}
