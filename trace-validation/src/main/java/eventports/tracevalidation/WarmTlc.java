package eventports.tracevalidation;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/*
 * Warm validation: long-lived TLC JVMs that the validating JVM reuses, one TLC run at a time
 * each, so that a run does not pay for a JVM's start.
 *
 * Why TLC runs do not share one JVM's TLC classes (the reason TlcChild forks): TLC keeps its
 * strings in one JVM-wide intern table (util.UniqueString.internTbl) and orders strings, record
 * fields and so the elements of sets and functions by each string's token, the order in which
 * the JVM first interned it. A verdict once depended on that order — a corpus trace accepted
 * in a fresh JVM was rejected after another trace's run — but through our loader, not TLC:
 * Batch built two functions on one domain array, which the first one's normalize sorted in
 * place (BatchConstantsTest; WarmTlcTest now shows the verdict the same in any intern order).
 * That fixed, a reason stays: each interned string also carries TLC's definition index of the
 * run that defined it (UniqueString.loc), which the next run's fresh definition table
 * (tlc2.tool.Defns) reads as its own. Resetting the table (UniqueString.initialize) breaks TLC's other statics that hold interned strings; runs of
 * two specs in one class loader could hand one name's index to another's definition. So a
 * server keeps TLC's classes, and the loader's, in one class loader per spec (Isolating): runs
 * of one spec define the same names in the same order, and share the JIT's work; the JVM, the
 * JDK's classes and the jackson and core classes are shared by all.
 *
 * Protocol: the server reads a prepared directory (TlcChild's layout) per line on stdin, runs
 * it, and answers with the run's exit code on a line of stdout. The client keeps idle servers
 * in a pool, starts one when none is idle (so at most one per concurrent validation), and
 * retires a server after RUNS_PER_SERVER runs (classes a run leaves referenced by TLC's
 * lingering threads are freed with their JVM). With -Deventports.tv.sharedServers=DIR the
 * servers are shared by every JVM naming DIR and outlive the JVM that started them (SharedTlc).
 */

/** Warm TLC servers: each validation in a JVM that already runs, with its spec's classes loaded and compiled. */
public final class WarmTlc {
    /** The property naming the directory through which JVMs share their servers (SharedTlc); unset: each JVM its own. */
    public static final String SHARED_SERVERS = "eventports.tv.sharedServers";
    /** Runs per server before it is replaced. */
    static final int RUNS_PER_SERVER = Integer.getInteger("eventports.tv.warmRuns", 200);
    private static final ConcurrentLinkedQueue<Server> IDLE = new ConcurrentLinkedQueue<>();
    private static final List<Server> ALL = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(WarmTlc::shutdown, "warm-tlc-shutdown"));
    }

    private WarmTlc() {
    }

    /** As {@link TlcChild#spawn}, on a warm server. */
    public static JsonNode run(TlcChild.Prepare prepare) throws IOException, InterruptedException {
        return TlcChild.runIn(prepare, WarmTlc::serve);
    }

    private static int serve(Path dir) throws IOException {
        Path shared = SharedTlc.configured();
        if (shared != null) {
            return SharedTlc.serve(shared, dir);
        }
        Server s = IDLE.poll();
        if (s == null) {
            s = Server.start();
        }
        int rc;
        try {
            rc = s.run(dir);
        } catch (IOException e) {
            s.stop();
            throw e;
        }
        if (s.runs >= RUNS_PER_SERVER) {
            s.stop();
        } else {
            IDLE.add(s);
        }
        return rc;
    }

    /** Stop every server (at exit; or to measure a cold start of the warm mode). */
    public static void shutdown() {
        List<Server> all;
        synchronized (ALL) {
            all = new ArrayList<>(ALL);
        }
        all.forEach(Server::stop);
        IDLE.clear();
    }

    /** One server JVM and its pipes. */
    private static final class Server {
        final Process process;
        final Writer in;
        final BufferedReader out;
        final Path tmp;
        int runs;

        private Server(Process process, Path tmp) {
            this.process = process;
            this.tmp = tmp;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Server start() throws IOException {
            Path tmp = Files.createTempDirectory("eventports-tv-warm");
            Process p = new ProcessBuilder(serverCommand(tmp)).redirectError(tmp.resolve("server.err").toFile()).start();
            Server s = new Server(p, tmp);
            synchronized (ALL) {
                ALL.add(s);
            }
            return s;
        }

        int run(Path dir) throws IOException {
            runs++;
            in.write(dir + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                String err = Files.exists(tmp.resolve("server.err")) ? Files.readString(tmp.resolve("server.err")) : "";
                throw new IOException("the warm TLC server stopped: " + err.strip());
            }
            return Integer.parseInt(line.strip());
        }

        void stop() {
            synchronized (ALL) {
                ALL.remove(this);
            }
            process.destroy();
            try {
                // the server deletes TLC's files in tmp as it exits (SANY's standard modules): a
                // walk racing with that met a vanished file and failed the caller (`trace bench`)
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (var s = Files.walk(tmp)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | java.io.UncheckedIOException e) {
                // a leftover temporary directory is harmless
            }
        }
    }

    /** A server's java command, up to its arguments; TLC's temporary files go to {@code tmp}. */
    static List<String> serverCommand(Path tmp) {
        List<String> cmd = TlcChild.javaCommand(tmp);
        // a server lives for many runs: C2's compilations pay off here, unlike in a cold run
        cmd.remove("-XX:TieredStopAtLevel=1");
        cmd.add(1, "-Deventports.tv.shareClasses=" + SHARE_CLASSES);
        // a server maps an archive a cold child wrote, but writes none: it may be killed
        cmd.addAll(1, ClassArchive.forChild(cmd.get(0), false, true).options());
        cmd.add(WarmTlc.class.getName());
        return cmd;
    }

    /**
     * The server: one prepared directory per line of stdin, one exit code per line of stdout;
     * or, with {@code --listen PORTFILE}, the same over loopback connections (SharedTlc).
     */
    public static void main(String[] args) throws IOException {
        Runs runs = new Runs();
        if (args.length == 2 && args[0].equals("--listen")) {
            SharedTlc.listen(Path.of(args[1]), runs);
            System.exit(0); // TLC leaves non-daemon threads behind
        }
        PrintStream answer = System.out;
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = requests.readLine(); line != null; line = requests.readLine()) {
            answer.println(runs.run(Path.of(line.strip())));
            answer.flush();
        }
        System.exit(0); // TLC leaves non-daemon threads behind
    }

    /** A server's runs: TLC's classes kept per spec (SHARE_CLASSES) and the runs counted. */
    static final class Runs {
        private final URL[] classPath;
        private final java.util.Map<String, Isolating> loaders = new java.util.HashMap<>();
        private int count;

        Runs() throws IOException {
            classPath = classPath();
        }

        int count() {
            return count;
        }

        /** One run of a prepared directory; its exit code. */
        int run(Path dir) throws IOException {
            count++;
            if (!SHARE_CLASSES) {
                try (Isolating cl = new Isolating(classPath, WarmTlc.class.getClassLoader())) {
                    return runIn(cl, dir);
                }
            }
            // one loader per spec: a name keeps the definition index its spec gave it
            String spec = specOf(dir);
            Isolating cl = loaders.get(spec);
            if (cl == null) {
                cl = new Isolating(classPath, WarmTlc.class.getClassLoader());
                loaders.put(spec, cl);
            }
            int rc = runIn(cl, dir);
            if (rc == 3) {
                loaders.remove(spec).close();          // a run that broke: the next starts afresh
            }
            return rc;
        }
    }

    /**
     * Whether a server's runs of one spec share TLC's classes (one class loader, JIT-compiled
     * once) or each run loads them afresh ({@code -Deventports.tv.shareClasses=false}, the
     * mode this class had while the verdict seemed to depend on the intern order).
     */
    static final boolean SHARE_CLASSES = Boolean.parseBoolean(System.getProperty("eventports.tv.shareClasses", "true"));

    /** The spec a prepared directory's batch is checked against: its level (lock or api). */
    private static String specOf(Path dir) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("batch.json").toFile())
                    .path("level").asText("lock");
        } catch (IOException e) {
            return "unreadable";                            // runDir reports it
        }
    }

    /** TlcChild's run of {@code dir} with TLC's classes and the loader's as loaded by {@code cl}. */
    static int runIn(Isolating cl, Path dir) {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try {
            Thread.currentThread().setContextClassLoader(cl);
            Method run = Class.forName(TlcChild.class.getName(), true, cl).getDeclaredMethod("runDir", Path.class);
            run.setAccessible(true);
            return (Integer) run.invoke(null, dir);
        } catch (ReflectiveOperationException | RuntimeException e) {
            try {
                Files.writeString(dir.resolve("error.txt"), "warm run: " + e);
            } catch (IOException ignored) {
                // the exit code still says it failed
            }
            return 3;
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    static URL[] classPath() throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                urls.add(Path.of(e).toUri().toURL());
            }
        }
        return urls.toArray(new URL[0]);
    }

    /**
     * Child-first for TLC (tlc2, tla2sany, util, pcal, tla2tex, model) and this package (whose
     * classes hold TLC's values and the run's batch in statics); everything else from the parent.
     */
    static final class Isolating extends URLClassLoader {
        private static final String[] OWN = {"tlc2.", "tla2sany.", "util.", "pcal.", "tla2tex.", "model.",
            "eventports.tracevalidation."};

        Isolating(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            boolean own = false;
            for (String p : OWN) {
                own |= name.startsWith(p);
            }
            if (!own) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = super.loadClass(name, false);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
