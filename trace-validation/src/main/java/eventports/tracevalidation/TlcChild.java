package eventports.tracevalidation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eventports.kernel.Profile;
import tlc2.TLC;
import tlc2.value.impl.Value;
import util.SimpleFilenameToStream;
import util.ToolIO;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One TLC run over one batch, in a JVM of its own, or in a warm server's class loader of its own
 * ({@link WarmTlc}): TLC keeps global static state that changes a later run's verdict (WarmTlc
 * says which), so no two runs share TLC's classes.
 *
 * <p>Usage: {@code TlcChild DIR}. DIR holds {@code batch.json}. Lock level ({profile, maxEvents,
 * report: [index per trace or -1], threadSlots: false to give each thread a spec thread of its
 * own} and {@code trace-K.ndjson} for K = 1..n): the run writes {@code result.json} ([{reached,
 * accepted, next, handOver, states[], enabled[]}] per trace) and {@code tlc.out}. API level
 * ({@code "level": "api"}): see {@code eventports.tracevalidation.api.ApiChild}.
 */
public final class TlcChild {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Prepares a child's directory (its batch.json and whatever that names). */
    public interface Prepare {
        void write(Path dir) throws IOException;
    }

    /** A level's run inside the child JVM: reads the prepared directory, writes result.json. */
    public interface Level {
        int run(Path dir, JsonNode batch) throws IOException;
    }

    private TlcChild() {
    }

    public static void main(String[] args) throws Exception {
        QuietRmi.install();
        System.exit(runDir(Path.of(args[0]))); // TLC leaves non-daemon threads behind
    }

    /** The API level lives in its own package; found by name so that this one does not depend on it. */
    private static Level apiLevel() throws ReflectiveOperationException {
        return (Level) Class.forName("eventports.tracevalidation.api.ApiChild").getDeclaredConstructor().newInstance();
    }

    /** One lock- or API-level run over DIR (as {@link #main}, without exiting); its exit code. */
    static int runDir(Path dir) {
        try {
            JsonNode batch = JSON.readTree(dir.resolve("batch.json").toFile());
            String level = batch.path("level").asText("lock");
            return level.equals("api") ? apiLevel().run(dir, batch) : run(dir);
        } catch (Throwable t) {
            try {
                Files.writeString(dir.resolve("error.txt"), String.valueOf(t));
            } catch (IOException e) {
                t.addSuppressed(e);
            }
            return 3;
        }
    }

    static int run(Path dir) throws IOException {
        ObjectNode spec = (ObjectNode) JSON.readTree(dir.resolve("batch.json").toFile());
        int n = spec.get("traces").asInt();
        boolean report = spec.has("report");
        // the traces load on a thread of their own while TLC parses and processes the spec (a
        // cold 10k-record run spends about half a second on each; TraceOverrides waits for the
        // batch where the spec first reads it)
        CompletableFuture<Batch> loading = CompletableFuture.supplyAsync(() -> {
            try {
                return load(dir, spec);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, r -> {
            Thread t = new Thread(r, "trace loader");
            t.setDaemon(true);
            t.start();
        });
        String cfg = null;
        if (report) {
            cfg = "TraceReport.cfg";
        }
        List<String> params = new ArrayList<>();
        if (spec.has("simulate")) {
            // a random walk of the constrained relation: a deterministic trace is its only behaviour
            int depth = loaded(loading).origins.stream().mapToInt(List::size).max().orElse(0) * 2 + 10;
            params.addAll(List.of("-simulate", "num=" + spec.get("simulate").asInt(), "-depth", Integer.toString(depth),
                    "-seed", "1"));
        }
        Path tla = copySpec(dir, List.of("EventPort.tla", "TraceEventPort.tla", "TraceEventPort.cfg"));
        if (report) {
            Files.writeString(tla.resolve(cfg), Files.readString(tla.resolve("TraceEventPort.cfg"))
                    .replace("INVARIANT TraceProgressInv", "INVARIANT TraceReportInv"));
        }
        int ec = runTlc(dir, loading, "TraceEventPort", report ? cfg : "TraceEventPort.cfg", params);
        Batch batch = loaded(loading); // a trace that did not load is the reason, whatever TLC said
        if (ec != 0) {
            return 2;
        }
        ArrayNode res = JSON.createArrayNode();
        for (int k = 1; k <= n; k++) {
            ObjectNode o = res.addObject();
            List<Integer> origin = batch.origins.get(k - 1);
            int got = batch.furthest.reached(k);
            boolean done = got >= origin.size();
            o.put("reached", got);
            o.put("accepted", done);
            // the first record no behaviour matched, as an index into the trace as written
            o.put("next", done ? -1 : origin.get(Math.max(got, 0)));
            // rejected where a thread took a finished one's spec thread over (ThreadSlots)
            o.put("handOver", !done && got >= 0 && batch.handOvers.get(k - 1).get(got));
            ArrayNode st = o.putArray("states");
            if (!done) {
                for (Value v : batch.furthest.states(k)) {
                    st.add(StateText.of(v));
                }
            }
            ArrayNode en = o.putArray("enabled");
            batch.enabled.get(k).forEach(en::add);
        }
        JSON.writeValue(dir.resolve("result.json").toFile(), res);
        return 0;
    }

    /** The batch that batch.json ({@code spec}) and the trace files of DIR describe. */
    private static Batch load(Path dir, ObjectNode spec) throws IOException {
        Profile profile = Profile.of(spec.get("profile").asText());
        int maxEvents = spec.get("maxEvents").asInt();
        int n = spec.get("traces").asInt();
        List<Trace> traces = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            traces.add(new Trace("t" + k, profile, maxEvents, TraceIo.read(dir.resolve("trace-" + k + ".ndjson"))));
        }
        Batch batch = new Batch(profile, maxEvents, traces, spec.path("threadSlots").asBoolean(true));
        if (spec.has("report")) {
            int[] at = new int[n + 1];
            for (int k = 1; k <= n; k++) {
                at[k] = spec.get("report").get(k - 1).asInt();
            }
            batch.setReportAt(at);
        }
        return batch;
    }

    /** The loaded batch, or the exception that stopped its loading. */
    private static Batch loaded(CompletableFuture<Batch> loading) throws IOException {
        try {
            return loading.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    /**
     * Copy the spec files into DIR/tla (from {@code -Deventports.tv.specdir} if set, else from
     * the resources the module carries) and return that directory.
     */
    public static Path copySpec(Path dir, List<String> files) throws IOException {
        Path tla = dir.resolve("tla");
        Files.createDirectories(tla);
        String specDir = System.getProperty("eventports.tv.specdir");
        for (String f : files) {
            if (specDir != null) {
                Files.copy(Path.of(specDir, f), tla.resolve(f));
                continue;
            }
            try (InputStream in = TlcChild.class.getResourceAsStream("/eventports/tla/" + f)) {
                if (in == null) {
                    throw new IOException("spec resource missing: " + f);
                }
                Files.copy(in, tla.resolve(f));
            }
        }
        return tla;
    }

    /**
     * Run TLC (BFS, one worker; or {@code extra} parameters) on {@code module} of DIR/tla with
     * {@code cfg}, the batch behind TraceEventPort's loader operators. TLC's output goes to
     * DIR/tlc.out. Returns TLC's exit code.
     */
    public static int runTlc(Path dir, Future<? extends TlcBatch> batch, String module, String cfg, List<String> extra)
            throws IOException {
        Path tla = dir.resolve("tla");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        PrintStream out = System.out;
        System.setOut(capture);
        ToolIO.out = capture;
        try {
            return runTlc(dir, tla, buf, batch, module, cfg, extra);
        } finally {
            System.setOut(out); // a warm server (WarmTlc) runs again and answers on it
        }
    }

    private static int runTlc(Path dir, Path tla, ByteArrayOutputStream buf, Future<? extends TlcBatch> batch,
                              String module, String cfg,
                              List<String> extra) throws IOException {
        TraceOverrides.current = batch;
        TLC tlc = new TLC();
        ToolIO.setUserDir(tla.toString());
        List<String> params = new ArrayList<>(List.of("-config", cfg, "-workers", "1", "-nowarning",
                "-metadir", tla.resolve("states").toString()));
        if (extra.isEmpty()) {
            params.addAll(List.of("-fpmem", "0.05", "-checkpoint", "0"));
        } else {
            params.addAll(extra);
        }
        params.add(module);
        tlc.handleParameters(params.toArray(new String[0]));
        tlc.setResolver(new SimpleFilenameToStream(tla.toString()) {
            // TLC loads tlc2.overrides.TLCOverrides through a class file the resolver finds, with
            // the system class loader as parent; under WarmTlc's loader that is not the loader of
            // TLC's own classes, and the overrides would be ignored: Class.forName finds it instead
            @Override
            public java.io.File resolve(String name, boolean isModule) {
                return name.endsWith(".class") ? null : super.resolve(name, isModule);
            }
        });
        int ec = tlc.process();
        Files.writeString(dir.resolve("tlc.out"), buf.toString(StandardCharsets.UTF_8));
        return ec;
    }

    /** Runs a prepared directory (TlcChild's layout); its exit code, 0 when result.json was written. */
    interface Runner {
        int run(Path dir) throws IOException, InterruptedException;
    }

    /**
     * Start a TLC child JVM on a fresh directory that {@code prepare} fills, wait for it and
     * return its result.json. The directory is deleted afterwards (unless
     * {@code -Deventports.tv.keep=true}).
     */
    public static JsonNode spawn(Prepare prepare) throws IOException, InterruptedException {
        return runIn(prepare, TlcChild::childJvm);
    }

    /** Fill a fresh directory with {@code prepare}, run it with {@code runner}, return its result.json. */
    static JsonNode runIn(Prepare prepare, Runner runner) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("eventports-tv");
        try {
            prepare.write(dir);
            int rc = runner.run(dir);
            if (rc != 0) {
                String why = "";
                for (String f : List.of("error.txt", "tlc.out", "child.out")) {
                    if (Files.exists(dir.resolve(f))) {
                        why += tail(Files.readString(dir.resolve(f)));
                    }
                }
                // the reason first: a one-line report of the exception still says why
                String first = why.strip().isEmpty() ? "no output" : why.strip().split("\n", 2)[0];
                throw new IOException("TLC could not validate (exit " + rc + "): " + first + "\n" + why);
            }
            return JSON.readTree(dir.resolve("result.json").toFile());
        } finally {
            if (!Boolean.getBoolean("eventports.tv.keep")) {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    /**
     * Records from which a cold child keeps C2 (property eventports.tv.c2From): C1 alone is
     * faster for a short run, whose compilations C2 cannot repay, C2's code for a long one. A
     * stress trace costs TLC ten times more a record than a generated one (its ports have many
     * threads in flight), so the same count can mean seconds or minutes. On stress traces, quiet
     * machine: 94,878 records in one child took 57 s instead of 89 s, 368,562 records in two
     * 106 s instead of 157 s (two children of about 184k); below that the gain shrinks while
     * C2's compiler threads take more CPU (32,695 records: 18.3 s instead of 20.3 s, 23 s of CPU
     * instead of 21), which two children beside a test JVM on 2 cores cannot spare. Hence 80k.
     */
    static final long C2_FROM_RECORDS = Long.getLong("eventports.tv.c2From", 80_000);

    /** The command of a cold child for the batch prepared in {@code dir}: C2 kept from C2_FROM_RECORDS records. */
    static List<String> childCommand(Path dir) throws IOException {
        List<String> cmd = javaCommand(dir);
        Path batch = dir.resolve("batch.json");
        if (Files.exists(batch) && JSON.readTree(batch.toFile()).path("records").asLong() >= C2_FROM_RECORDS) {
            cmd.remove("-XX:TieredStopAtLevel=1");
        }
        cmd.add(TlcChild.class.getName());
        cmd.add(dir.toString());
        return cmd;
    }

    private static int childJvm(Path dir) throws IOException, InterruptedException {
        List<String> cmd = childCommand(dir);
        ClassArchive.Use cds = ClassArchive.forChild(cmd.get(0), true, !cmd.contains("-XX:TieredStopAtLevel=1"));
        cmd.addAll(1, cds.options());
        boolean byItself = false;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.out").toFile()).start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("TLC did not finish within 30 minutes");
            }
            byItself = true;
            return p.exitValue();
        } finally {
            cds.exited(byItself);
        }
    }

    /** The java command of a TLC JVM (a child or a warm server), up to its main class; TLC's temporary files go to {@code tmp}. */
    static List<String> javaCommand(Path tmp) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseParallelGC", "-Xss4m",
                // C1 only unless the batch is long (childCommand, C2_FROM_RECORDS): a short run's C2
                // compilations cost more than they return (10k generated records: 3.0 s instead
                // of 4.9 s; 100k: 7.4 s instead of 8.8 s)
                "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path")));
        String specDir = System.getProperty("eventports.tv.specdir");
        if (specDir != null) {
            cmd.add("-Deventports.tv.specdir=" + specDir);
        }
        return cmd;
    }

    /** TLC's own error lines (which come first), then the last 40 lines of the output. */
    private static String tail(String s) {
        String[] lines = s.split("\n");
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            if (l.startsWith("Error:") && !l.startsWith("Error: The behavior up to this point")) {
                b.append(l).append('\n');
            }
        }
        for (int n = Math.max(0, lines.length - 40); n < lines.length; n++) {
            b.append(lines[n]).append('\n');
        }
        return b.toString();
    }
}
