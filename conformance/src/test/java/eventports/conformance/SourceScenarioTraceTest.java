package eventports.conformance;

import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The FD and TIMER scenarios also pass with tracing on, and their traces name the sources'
 * steps (the records trace validation of the sources will read).
 */
class SourceScenarioTraceTest {
    @Test
    void fdAndTimerScenariosPassTracedAndRecordTheSourcesSteps() throws Exception {
        Map<String, MemorySink> sinks = new ConcurrentHashMap<>();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConformanceRunner r = new ConformanceRunner(null, new PrintStream(buf, true, StandardCharsets.UTF_8),
                id -> sinks.computeIfAbsent(id, k -> new MemorySink()));
        List<Path> files = ConformanceRunner.collect(List.of(ConformanceCorpusTest.CORPUS)).stream()
                .filter(f -> f.getFileName().toString().matches("(fd|timer)-.*"))
                .collect(Collectors.toList());
        assertTrue(files.size() >= 40, "fd-/timer- scenarios: " + files.size());
        assertTrue(r.run(files).ok(), buf.toString(StandardCharsets.UTF_8));
        Set<String> actions = new TreeSet<>();
        for (MemorySink s : sinks.values()) {
            for (TraceRecord rec : s.records()) {
                actions.add(rec.action());
            }
        }
        for (String a : List.of("port_associate_fd", "port_dissociate_fd", "pollwakeup", "port_fd_callback",
                "port_remove_fd_object", "port_close_pfd", "port_close_sourcefd", "timer_create", "timer_fire",
                "timer_port_callback", "timer_close_port")) {
            assertTrue(actions.contains(a), "no " + a + " record in " + actions);
        }
    }
}
