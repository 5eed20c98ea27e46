package eventports.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Another implementation of event ports, running as a child process that speaks PROTOCOL.md
 * on its standard input and output. Every wait for a reply is bounded; a child that exits,
 * stalls, writes a line that is not JSON or answers the wrong request is a
 * {@link Wire.ProtocolError} whose message says what happened. The child runs in a session
 * (and so a process group) of its own, which {@link #close()} kills as a whole.
 */
final class ImplProcess implements AutoCloseable {
    /** What the child said about itself in its hello. */
    record Hello(String name, String version, String profile, List<String> capabilities, String blocking) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A reply line longer than this is not a protocol reply (and must not exhaust memory). */
    private static final int MAX_LINE = 8 << 20;
    private static final int STDERR_LINES = 12;
    private static final String EOF = "\u0000EOF";

    private final String command;
    private final Duration stepTimeout;
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private long nextId;
    private Hello hello;
    private boolean dead;

    ImplProcess(String command, Duration stepTimeout) throws Wire.ProtocolError {
        this.command = command;
        this.stepTimeout = stepTimeout;
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            argv.add("/usr/bin/setsid");
        }
        argv.add("bash");
        argv.add("-c");
        argv.add(command);
        try {
            process = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new Wire.ProtocolError("cannot start the implementation (" + command + "): " + e.getMessage());
        }
        stdin = process.getOutputStream();
        daemon("impl-stdout", () -> readLines(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
        daemon("impl-stderr", this::readStderr);
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void readLines(Reader in) {
        try (BufferedReader r = new BufferedReader(in)) {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = r.read()) >= 0) {
                if (c == '\n') {
                    lines.add(b.toString());
                    b.setLength(0);
                } else if (b.length() >= MAX_LINE) {
                    lines.add("\u0000TOO_LONG");
                    return;
                } else {
                    b.append((char) c);
                }
            }
            if (b.length() > 0) {
                lines.add(b.toString());
            }
        } catch (IOException e) {
            // the child is gone: EOF below
        } finally {
            lines.add(EOF);
        }
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line.length() > 300 ? line.substring(0, 300) + "…" : line);
                    if (stderrTail.size() > STDERR_LINES) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    /** The last lines the child wrote to its standard error (may be empty). */
    List<String> stderrTail() {
        synchronized (stderrTail) {
            return new ArrayList<>(stderrTail);
        }
    }

    boolean dead() {
        return dead;
    }

    /** The child process is still running (it may exit after {@code end}: PROTOCOL.md "Session"). */
    boolean alive() {
        return process.isAlive();
    }

    /** The handshake: PROTOCOL.md {@code hello}. */
    Hello hello(long settleMs) throws Wire.ProtocolError {
        ObjectNode req = JSON.createObjectNode();
        req.put("type", "hello");
        req.put("protocol", 1);
        req.put("settle_ms", settleMs);
        JsonNode r = request(req);
        if (r.has("error")) {
            throw new Wire.ProtocolError("the implementation refused hello: " + r.get("error").asText());
        }
        if (r.path("protocol").asInt(-1) != 1) {
            throw new Wire.ProtocolError("hello: the implementation speaks protocol " + r.get("protocol")
                    + ", this runner speaks 1");
        }
        List<String> caps = new ArrayList<>();
        JsonNode c = r.get("capabilities");
        if (c == null || !c.isArray()) {
            throw new Wire.ProtocolError("hello: \"capabilities\" must be a list");
        }
        for (JsonNode n : c) {
            if (!n.isTextual() || Capability.of(n.asText()) == null) {
                throw new Wire.ProtocolError("hello: unknown capability " + n);
            }
            caps.add(n.asText());
        }
        String profile = r.path("profile").asText("illumos");
        if (!profile.equals("illumos") && !profile.equals("corrected")) {
            throw new Wire.ProtocolError("hello: \"profile\" must be \"illumos\" or \"corrected\", got " + r.get("profile"));
        }
        String blocking = r.path("blocking").asText("reported");
        if (!blocking.equals("reported") && !blocking.equals("settle")) {
            throw new Wire.ProtocolError("hello: \"blocking\" must be \"reported\" or \"settle\", got " + r.get("blocking"));
        }
        hello = new Hello(r.path("name").asText(command), r.path("version").asText(""), profile, caps, blocking);
        return hello;
    }

    Hello hello() {
        return hello;
    }

    /** Send {@code req} (an id is added) and return the reply to it. */
    JsonNode request(ObjectNode req) throws Wire.ProtocolError {
        if (dead) {
            throw new Wire.ProtocolError("the implementation is no longer running");
        }
        long id = nextId++;
        req.put("id", id);
        String what = req.path("type").asText() + ("call".equals(req.path("type").asText())
                ? " " + req.path("op").asText() : "");
        try {
            stdin.write((JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw fail("could not send " + what + ": the implementation " + exitStatus());
        }
        String line;
        try {
            line = lines.poll(stepTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted while waiting for the reply to " + what);
        }
        if (line == null) {
            throw fail("no reply to " + what + " within " + stepTimeout.toMillis() + " ms");
        }
        if (line.equals(EOF)) {
            throw fail("the implementation " + exitStatus() + " before replying to " + what);
        }
        if (line.equals("\u0000TOO_LONG")) {
            throw fail("a reply line longer than " + MAX_LINE + " bytes");
        }
        JsonNode reply;
        try {
            reply = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw fail("the reply to " + what + " is not JSON: " + excerpt(line));
        }
        if (reply == null || !reply.isObject()) {
            throw fail("the reply to " + what + " is not a JSON object: " + excerpt(line));
        }
        if (!reply.has("id") || !reply.get("id").isIntegralNumber() || reply.get("id").asLong() != id) {
            throw fail("the reply to " + what + " (id " + id + ") carries id " + reply.get("id") + ": " + excerpt(line));
        }
        return reply;
    }

    private Wire.ProtocolError fail(String message) {
        dead = true;
        return new Wire.ProtocolError(message);
    }

    private static String excerpt(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private String exitStatus() {
        try {
            if (process.waitFor(1, TimeUnit.SECONDS)) {
                return "exited with status " + process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "closed its output";
    }

    /** Says bye if the child still answers, then kills its whole process group. */
    @Override
    public void close() {
        if (!dead) {
            try {
                ObjectNode bye = JSON.createObjectNode();
                bye.put("type", "bye");
                request(bye);
            } catch (Wire.ProtocolError e) {
                // killed below
            }
        }
        dead = true;
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        killGroup();
    }

    private void killGroup() {
        long pid = process.pid();
        try {
            if (process.isAlive() || process.descendants().findAny().isPresent()) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + pid).redirectErrorStream(true).start()
                        .waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            // no kill(1): fall back to the descendants Java can see
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
