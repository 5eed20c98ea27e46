package eventports.conformance;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Errno;
import eventports.kernel.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conformance/scenario.schema.json: every corpus scenario satisfies it, it is the schema the
 * runner loads, its symbolic names are the runner's, and each family of its rules has teeth —
 * a valid scenario that uses every op and key, broken in one place, is rejected at that place
 * for that rule.
 */
class ScenarioSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyCorpusScenarioSatisfiesTheSchema() throws IOException {
        List<Path> files = ConformanceRunner.collect(List.of(ConformanceCorpusTest.CORPUS));
        assertTrue(files.size() >= 200, "corpus: " + files.size());
        StringBuilder bad = new StringBuilder();
        for (Path f : files) {
            List<String> v = ScenarioSchema.violations(JSON.readTree(f.toFile()));
            if (!v.isEmpty()) {
                bad.append(f).append(": ").append(v).append('\n');
            }
        }
        assertEquals("", bad.toString());
    }

    @Test
    void theRunnerLoadsTheSchemaOfTheRepository() throws IOException {
        assertEquals(JSON.readTree(Path.of("scenario.schema.json").toFile()), ScenarioSchema.schemaNode());
    }

    @Test
    void theSchemasNamesAreTheRunners() {
        JsonNode defs = ScenarioSchema.schemaNode().get("$defs");
        assertEquals(Arrays.stream(Errno.values()).map(Enum::name).collect(Collectors.toCollection(TreeSet::new)),
                alternatives(defs.get("errno").get("pattern").textValue()));
        Set<String> eventNames = new TreeSet<>(Names.POLL.keySet());
        eventNames.addAll(Names.FILE.keySet());
        assertEquals(eventNames, alternatives(defs.get("events").get("pattern").textValue()));
        assertEquals(new TreeSet<>(Names.ATTRS.keySet().stream().map(a -> a.substring("AT_".length())).toList()),
                alternatives(defs.get("attrs").get("pattern").textValue()));
        assertEquals(IntStream.rangeClosed(Ports.PORT_SOURCE_AIO, Ports.PORT_SOURCE_FILE).mapToObj(Ports::sourceName)
                        .map(s -> s.substring("PORT_SOURCE_".length())).collect(Collectors.toCollection(TreeSet::new)),
                alternatives(defs.get("source").get("pattern").textValue()));
        Set<String> ops = new HashSet<>();
        defs.get("step").get("properties").get("op").get("enum").forEach(o -> ops.add(o.textValue()));
        Set<String> runner = new HashSet<>(Scenario.CALLS);
        runner.addAll(Scenario.DRIVER);
        assertEquals(runner, ops);
    }

    /** "^(A|B|C)$" or "^PREFIX_(A|B)$" → {A, B, C}. */
    private static Set<String> alternatives(String pattern) {
        String inner = pattern.substring(pattern.indexOf('(') + 1, pattern.lastIndexOf(')'));
        return new TreeSet<>(Arrays.asList(inner.split("\\|")));
    }

    /** Schema-valid (not a meaningful run): every op, every optional key, every value form. */
    static final String ALL_OPS = """
            {"format": 1, "name": "all-ops", "about": "every op and key", "profiles": ["illumos", "corrected"],
             "limits": {"port_max_events": 8, "port_max_ids": 4, "port_max_list": 4, "fd_max": 16},
             "layer": "portfs",
             "steps": [
              {"op": "port_create", "thread": "T1", "proc": "P1", "as": "p", "expect": {"ret": 3}},
              {"op": "fd_open", "proc": "P1", "as": "f", "expect": {"errno": "EMFILE"}},
              {"op": "port_associate", "thread": "T1", "port": "p", "source": "PORT_SOURCE_FD", "object": "f",
               "events": ["POLLIN", 4], "user": "a", "expect": {"ret": 0}},
              {"op": "fd_ready", "fd": "f", "events": "POLLIN"},
              {"op": "fd_clear", "fd": "f"},
              {"op": "port_dissociate", "thread": "T1", "port": "p", "source": 4, "object": "f", "expect": {"errno": "ENOENT"}},
              {"op": "port_send", "thread": "T1", "port": "p", "events": 1, "user": 7},
              {"op": "port_sendn", "thread": "T1", "ports": ["p", "bad:9", 3], "events": 2, "user": "u",
               "expect": {"ret": 1, "errors": [0, "EBADF", "EAGAIN"]}},
              {"op": "port_dispatch", "thread": "T1", "port": "p", "source": "PORT_SOURCE_AIO", "events": 1, "object": 5,
               "user": "d", "noshare": true},
              {"op": "port_alert", "thread": "T1", "port": "p", "flags": "PORT_ALERT_SET", "events": 1, "user": "al"},
              {"op": "port_get", "thread": "T1", "port": "p", "timeout": {"sec": 0, "nsec": 0}, "pause": "delivery",
               "expect": {"paused": true}},
              {"op": "port_getn", "thread": "T2", "proc": "P1", "port": "p", "max": 4, "nget": 2, "timeout": null,
               "expect": {"blocks": true}},
              {"op": "advance", "ms": 10},
              {"op": "interrupt", "thread": "T2"},
              {"op": "await", "thread": "T2", "expect": {"errno": "EINTR", "nget": 2,
               "events": [{"source": "PORT_SOURCE_USER", "events": 1, "object": 0, "user": 7}]}},
              {"op": "expect_blocked", "thread": "T2"},
              {"op": "timer_create", "thread": "T1", "port": "p", "user": "t", "as": "tm", "expect": {"ret": 0}},
              {"op": "timer_expire", "timer": "tm", "expect": {"errno": "EBADF"}},
              {"op": "fork", "proc": "P1", "child": "P2"},
              {"op": "close", "thread": "T1", "fd": "p", "expect": {"panic": "1720"}},
              {"op": "exit", "proc": "P2", "expect": {"ret": 0}},
              {"op": "file_mkdir", "thread": "T1", "path": "/d"},
              {"op": "file_create", "thread": "T1", "path": "/d/f", "expect": {"ret": 0}},
              {"op": "file_obj", "thread": "T1", "as": "fo", "name": "/d/f", "stat": true, "expect": {"errno": "ENOENT"}},
              {"op": "port_associate", "thread": "T1", "port": "p", "source": "PORT_SOURCE_FILE", "object": "fo",
               "events": ["FILE_MODIFIED", "FILE_NOFOLLOW"], "user": "w", "expect": {"errno": "EISDIR"}},
              {"op": "file_write", "thread": "T1", "path": "/d/f"},
              {"op": "file_read", "thread": "T1", "path": "/d/f"},
              {"op": "file_setattr", "thread": "T1", "path": "/d/f", "attrs": ["AT_SIZE", 512]},
              {"op": "file_link", "thread": "T1", "from": "/d/f", "to": "/d/g"},
              {"op": "file_rename", "thread": "T1", "from": "/d/g", "to": "/d/h", "expect": {"errno": "EXDEV"}},
              {"op": "file_unlink", "thread": "T1", "path": "/d/h"},
              {"op": "fs_mount", "thread": "T1", "path": "/d", "vnevents": false},
              {"op": "fs_unmount", "thread": "T1", "path": "/d", "expect": {"errno": "EPERM"}},
              {"op": "file_rmdir", "thread": "T1", "path": "/d"},
              {"op": "port_getn", "thread": "T1", "port": "p", "max": 4, "nget": 1, "timeout": null,
               "expect": {"events": [{"source": "PORT_SOURCE_FILE", "events": ["FILE_DELETE", "UNMOUNTED"],
                 "object": "fo", "user": "w"}]}},
              {"op": "dup", "thread": "T1", "fd": "p", "min": 0, "as": "q", "expect": {"errno": "EBADF"}},
              {"op": "dup2", "thread": "T1", "fd": "q", "to": "bad:5", "as": "r"},
              {"op": "sendfd", "proc": "P1", "fd": "q", "to": "P3", "as": "s", "expect": {"errno": "EBADF"}}
             ]}
            """;

    private static final Object REMOVE = new Object();

    /** One break of ALL_OPS: set (or remove) the value at {@code at}; expect {@code keyword} at {@code where}. */
    static Stream<Arguments> breaks() {
        return Stream.of(
                // type
                Arguments.of("/steps/11/max", "\"ten\"", "/steps/11/max", "type"),
                Arguments.of("/name", "5", "/name", "type"),
                Arguments.of("/steps/10/timeout", "\"forever\"", "/steps/10/timeout", "type"),
                Arguments.of("/steps/2/expect", "5", "/steps/2/expect", "type"),
                Arguments.of("/steps/8/noshare", "\"yes\"", "/steps/8/noshare", "type"),
                Arguments.of("/steps/6/user", "true", "/steps/6/user", "type"),
                Arguments.of("/steps/6/events", "1.5", "/steps/6/events", "type"),
                Arguments.of("/steps/14/expect/blocks", "1", "/steps/14/expect/blocks", "type"),
                Arguments.of("/steps", "{}", "/steps", "type"),
                Arguments.of("/steps/3", "5", "/steps/3", "type"),
                // required: per op (the if/then dispatch on "op"), in timeouts, at the root
                Arguments.of("/steps/6/events", REMOVE, "/steps/6", "required"),
                Arguments.of("/steps/11/timeout", REMOVE, "/steps/11", "required"),
                Arguments.of("/steps/11/nget", REMOVE, "/steps/11", "required"),
                Arguments.of("/steps/8/noshare", REMOVE, "/steps/8", "required"),
                Arguments.of("/steps/18/child", REMOVE, "/steps/18", "required"),
                Arguments.of("/steps/10/timeout/nsec", REMOVE, "/steps/10/timeout", "required"),
                Arguments.of("/steps/0/op", REMOVE, "/steps/0", "required"),
                Arguments.of("/steps", REMOVE, "(root)", "required"),
                // additionalProperties: a misspelt key anywhere, an expectation on a step that makes no call
                Arguments.of("/steps/6/evnets", "1", "/steps/6", "additionalProperties"),
                Arguments.of("/comment", "\"x\"", "(root)", "additionalProperties"),
                Arguments.of("/steps/2/expect/retval", "0", "/steps/2/expect", "additionalProperties"),
                Arguments.of("/steps/14/expect/events/0/obj", "0", "/steps/14/expect/events/0", "additionalProperties"),
                Arguments.of("/limits/port_max_fds", "1", "/limits", "additionalProperties"),
                Arguments.of("/steps/10/timeout/usec", "1", "/steps/10/timeout", "additionalProperties"),
                Arguments.of("/steps/12/expect", "{\"ret\": 0}", "/steps/12", "additionalProperties"),
                Arguments.of("/steps/18/thread", "\"T1\"", "/steps/18", "additionalProperties"),
                // enum, const
                Arguments.of("/steps/0/op", "\"port_frobnicate\"", "/steps/0/op", "enum"),
                Arguments.of("/profiles/0", "\"solaris\"", "/profiles/0", "enum"),
                Arguments.of("/format", "2", "/format", "const"),
                Arguments.of("/steps/10/pause", "\"retrieval\"", "/steps/10/pause", "enum"),
                // the simulated file system's calls
                Arguments.of("/steps/22/path", "\"d/f\"", "/steps/22/path", "pattern"),
                Arguments.of("/steps/27/attrs", "\"AT_TYPE\"", "/steps/27/attrs", "pattern"),
                Arguments.of("/steps/24/events", "\"FILE_OPENED\"", "/steps/24/events", "pattern"),
                Arguments.of("/steps/23/stat", REMOVE, "/steps/23", "required"),
                Arguments.of("/steps/29/to", REMOVE, "/steps/29", "required"),
                Arguments.of("/layer", "\"fio\"", "/layer", "enum"),
                Arguments.of("/layer", "true", "/layer", "enum"),
                Arguments.of("/steps/35/min", "\"0\"", "/steps/35/min", "type"),
                Arguments.of("/steps/36/to", REMOVE, "/steps/36", "required"),
                Arguments.of("/steps/37/as", REMOVE, "/steps/37", "required"),
                Arguments.of("/steps/37/thread", "\"T1\"", "/steps/37", "additionalProperties"),
                // ranges of the C types
                Arguments.of("/limits/port_max_events", "-1", "/limits/port_max_events", "minimum"),
                Arguments.of("/steps/12/ms", "-1", "/steps/12/ms", "minimum"),
                Arguments.of("/steps/11/nget", "-1", "/steps/11/nget", "minimum"),
                Arguments.of("/steps/6/events", "4294967297", "/steps/6/events", "maximum"),
                Arguments.of("/steps/6/events", "100000000000000000000", "/steps/6/events", "maximum"),
                Arguments.of("/steps/6/events", "-2147483649", "/steps/6/events", "minimum"),
                Arguments.of("/steps/11/max", "4294967296", "/steps/11/max", "maximum"),
                Arguments.of("/steps/2/events/1", "2147483648", "/steps/2/events/1", "maximum"),
                Arguments.of("/steps/7/expect/errors/0", "1", "/steps/7/expect/errors/0", "maximum"),
                Arguments.of("/steps/6/user", "9223372036854775808", "/steps/6/user", "maximum"),
                Arguments.of("/steps/10/timeout/sec", "9223372036854775808", "/steps/10/timeout/sec", "maximum"),
                // names
                Arguments.of("/steps/14/expect/errno", "\"EWHAT\"", "/steps/14/expect/errno", "pattern"),
                Arguments.of("/steps/6/port", "\"bad:x\"", "/steps/6/port", "pattern"),
                Arguments.of("/steps/5/source", "\"PORT_SOURCE_BOGUS\"", "/steps/5/source", "pattern"),
                Arguments.of("/steps/9/flags", "\"PORT_ALERT_MAYBE\"", "/steps/9/flags", "pattern"),
                Arguments.of("/steps/3/events", "\"POLLX\"", "/steps/3/events", "pattern"),
                Arguments.of("/steps/19/expect/panic", "\"port.c:1720\"", "/steps/19/expect/panic", "pattern"),
                Arguments.of("/steps/0/as", "\"\"", "/steps/0/as", "minLength"),
                // lists
                Arguments.of("/profiles", "[]", "/profiles", "minItems"),
                Arguments.of("/profiles", "[\"illumos\", \"illumos\"]", "/profiles", "uniqueItems"));
    }

    @Test
    void theUnbrokenScenarioUsesEveryOpAndSatisfiesTheSchema() throws IOException {
        JsonNode all = JSON.readTree(ALL_OPS);
        assertEquals(List.of(), ScenarioSchema.violations(all));
        Set<String> ops = new HashSet<>();
        all.get("steps").forEach(s -> ops.add(s.get("op").textValue()));
        Set<String> every = new HashSet<>(Scenario.CALLS);
        every.addAll(Scenario.DRIVER);
        assertEquals(every, ops);
    }

    @ParameterizedTest(name = "{0} = {1} breaks {3} at {2}")
    @MethodSource("breaks")
    void eachBreakIsRejectedWhereItIsForTheRuleItBreaks(String at, Object value, String where, String keyword)
            throws IOException {
        JsonNode root = JSON.readTree(ALL_OPS);
        JsonPointer p = JsonPointer.compile(at);
        JsonNode parent = root.at(p.head());
        String last = p.last().getMatchingProperty();
        if (parent instanceof ObjectNode) {
            if (value == REMOVE) {
                ((ObjectNode) parent).remove(last);
            } else {
                ((ObjectNode) parent).set(last, JSON.readTree((String) value));
            }
        } else {
            ((ArrayNode) parent).set(p.last().getMatchingIndex(), JSON.readTree((String) value));
        }
        List<String> v = ScenarioSchema.violations(root);
        assertTrue(v.stream().anyMatch(m -> m.startsWith(where + ": ") && m.contains("(" + keyword + ")")),
                "expected a '" + keyword + "' violation at " + where + ", got " + v);
    }
}
