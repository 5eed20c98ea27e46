package eventports.tracevalidation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/*
 * Shared warm servers: WarmTlc servers that outlive the JVM that started them, for validating
 * JVMs that live shorter than a server pays off. PIT's mutation minions are the case: PIT
 * replaces a minion after every mutant that timed out (about 130 a whole run), and each new
 * minion's first TLC batch paid a server's start and TLC's compilation again (about 10 s of a
 * minion's 13 s start), while the validator's own classes are not mutated, so one server can
 * serve every minion of a run.
 *
 * With -Deventports.tv.sharedServers=DIR, a validation takes one of SLOTS slots in DIR: an
 * exclusive file lock on slot-K.lock, held for one run (the OS drops it when its holder dies,
 * killed or not). The slot's server listens on a loopback port written to slot-K.port; the
 * holder connects, sends the prepared directory on a line and reads the exit code, as with
 * WarmTlc's pipes. No server yet, or a dead one: the holder starts one, detached (its
 * output in slot-K.out), and waits for its port. A server leaves when it has served
 * RUNS_PER_SERVER runs (removing its port file first, so the next holder starts a fresh one),
 * when it has been idle for IDLE_MILLIS, or when slot-K.port no longer names it (deleting DIR
 * retires a run's servers: a rebuild must not be validated by classes loaded before it).
 */

/** WarmTlc servers shared by every JVM that names the same directory. */
final class SharedTlc {
    /** Slots (servers) in the directory: one per core suits PIT's one minion per core. */
    static final int SLOTS = Math.max(1, Integer.getInteger("eventports.tv.sharedSlots", 2));
    /** A server with no connection for this long leaves. */
    static final long IDLE_MILLIS = Long.getLong("eventports.tv.sharedIdleSeconds", 120) * 1000;
    /** How long a holder waits for a server it started to listen. */
    private static final long START_MILLIS = 120_000;

    private SharedTlc() {
    }

    /** The shared directory named by the property, or null. */
    static Path configured() {
        String d = System.getProperty(WarmTlc.SHARED_SERVERS);
        return d == null || d.isBlank() ? null : Path.of(d);
    }

    /** Run the prepared directory {@code run} on one of {@code shared}'s servers; its exit code. */
    static int serve(Path shared, Path run) throws IOException {
        Files.createDirectories(shared);
        try {
            while (true) {
                for (int k = 0; k < SLOTS; k++) {
                    Integer rc = tryServe(shared, k, run);
                    if (rc != null) {
                        return rc;
                    }
                }
                Thread.sleep(50); // every slot busy: one frees within a run's time
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a shared TLC server", e);
        }
    }

    /** The run on slot k's server if the slot is free, else null. */
    private static Integer tryServe(Path shared, int k, Path run) throws IOException, InterruptedException {
        try (FileChannel ch = FileChannel.open(shared.resolve("slot-" + k + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;                                // another thread of this JVM has it
            }
            if (lock == null) {
                return null;
            }
            Path portFile = shared.resolve("slot-" + k + ".port");
            for (int attempt = 0; ; attempt++) {
                Socket found = connect(portFile);
                String answer;
                try (Socket s = found != null ? found : start(shared, k, portFile)) {
                    Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8);
                    out.write(run + "\n");
                    out.flush();
                    answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                } catch (IOException e) {
                    answer = null;
                }
                if (answer != null) {
                    return Integer.parseInt(answer.strip());
                }
                if (attempt == 1) {
                    throw new IOException("the shared TLC server of " + portFile + " stopped twice; see "
                            + shared.resolve("slot-" + k + ".out"));
                }
                Files.deleteIfExists(portFile);             // it left or died: start another
            }
        }
    }

    /** A connection to the server portFile names, or null when there is none. */
    private static Socket connect(Path portFile) {
        try {
            int port = Integer.parseInt(Files.readString(portFile).strip());
            return new Socket(InetAddress.getLoopbackAddress(), port);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static Socket start(Path shared, int k, Path portFile) throws IOException, InterruptedException {
        Files.deleteIfExists(portFile);
        Path tmp = Files.createDirectories(shared.resolve("slot-" + k + ".tmp"));
        List<String> cmd = WarmTlc.serverCommand(tmp);
        cmd.add("--listen");
        cmd.add(portFile.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(shared.resolve("slot-" + k + ".out").toFile()))
                .start();
        long deadline = System.currentTimeMillis() + START_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Socket s = connect(portFile);
            if (s != null) {
                return s;
            }
            if (!p.isAlive()) {
                throw new IOException("a shared TLC server exited at its start (" + p.exitValue() + "); see "
                        + shared.resolve("slot-" + k + ".out"));
            }
            Thread.sleep(20);
        }
        p.destroy();
        throw new IOException("a shared TLC server did not listen within " + START_MILLIS / 1000 + " s");
    }

    /** The server's side: listen, write the port to portFile, serve connections one at a time. */
    static void listen(Path portFile, WarmTlc.Runs runs) throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            ss.setSoTimeout(1000);
            String me = Integer.toString(ss.getLocalPort());
            Path tmp = portFile.resolveSibling(portFile.getFileName() + "." + ProcessHandle.current().pid());
            Files.writeString(tmp, me);
            try {
                Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, portFile, StandardCopyOption.REPLACE_EXISTING);
            }
            long idleSince = System.currentTimeMillis();
            while (names(portFile, me) && System.currentTimeMillis() - idleSince < IDLE_MILLIS) {
                Socket s;
                try {
                    s = ss.accept();
                } catch (SocketTimeoutException e) {
                    continue;
                }
                try (s) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8);
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        int rc = runs.run(Path.of(line.strip()));
                        boolean last = runs.count() >= WarmTlc.RUNS_PER_SERVER;
                        if (last && names(portFile, me)) {
                            Files.deleteIfExists(portFile); // before the answer: the next holder starts afresh
                        }
                        out.write(rc + "\n");
                        out.flush();
                        if (last) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    // the holder died mid-run (PIT killed a minion): serve the next one
                }
                idleSince = System.currentTimeMillis();
            }
            if (names(portFile, me)) {
                Files.deleteIfExists(portFile);
            }
        }
    }

    private static boolean names(Path portFile, String me) {
        try {
            return Files.readString(portFile).strip().equals(me);
        } catch (IOException e) {
            return false;                                   // gone (NoSuchFileException) or unreadable
        }
    }
}
