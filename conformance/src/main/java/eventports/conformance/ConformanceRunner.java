package eventports.conformance;

import eventports.kernel.Profile;
import eventports.trace.MemorySink;
import eventports.trace.TraceRecord;
import eventports.trace.TraceSink;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceIo;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import eventports.tracevalidation.api.ApiTraceIo;
import eventports.tracevalidation.api.ApiValidator;
import eventports.tracevalidation.api.ApiVerdict;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Replays conformance scenarios (FORMAT.md) and prints {@code PASS name [profile]},
 * {@code FAIL name [profile]: step K: …} or {@code SKIP name [profile]: needs …} per run, then
 * {@code N passed, M failed, K skipped}. By default the scenarios run on the Java core (the
 * deterministic runtime), once per profile they name; with {@link #againstImpl} they run on
 * another implementation over PROTOCOL.md, in the one profile it claims, and a scenario that
 * needs a capability the implementation lacks is skipped. A file that cannot be parsed is a
 * FAIL with the reason; nothing a file or an implementation does can crash or hang the runner
 * (every step has a watchdog or a timeout).
 */
public final class ConformanceRunner {
    /** Totals of one invocation. */
    public record Summary(int passed, int failed, int skipped, List<ScenarioRun.Verdict> verdicts) {
        public boolean ok() {
            return failed == 0;
        }
    }

    /** A scenario run not made: the implementation lacks what it needs. */
    private record Skip(String name, Profile profile, String needs) {
    }

    private final Profile only;
    private final PrintStream out;
    private final Function<String, TraceSink> sinks;
    private boolean validateTraces;
    private Path traceDir;
    private ImplSession.Options implOptions;
    private ImplSession impl;
    private final List<Skip> skips = new ArrayList<>();
    /** The API trace file of each run on the implementation (null: none asked for), in run order. */
    private final List<Path> implTraces = new ArrayList<>();
    private Path implTraceDir;
    private boolean apiLevel;
    private final List<ApiValidator.ApiTrace> apiTraces = new ArrayList<>();

    /**
     * @param only  run only this profile's variants (null: all)
     * @param sinks a trace sink per run id ("name[profile]"), or null for no tracing
     */
    public ConformanceRunner(Profile only, PrintStream out, Function<String, TraceSink> sinks) {
        this.only = only;
        this.out = out;
        this.sinks = sinks;
    }

    /** Validate every run's trace against the TLA+ spec (TLC; trace-validation/). */
    public ConformanceRunner validatingTraces(boolean on) {
        this.validateTraces = on;
        return this;
    }

    /** Write every run's trace as NDJSON into {@code dir} (name.profile.ndjson). */
    public ConformanceRunner writingTraces(Path dir) {
        this.traceDir = dir;
        return this;
    }

    /**
     * Run the scenarios on another implementation: {@code command} is started with
     * {@code bash -c} and driven over PROTOCOL.md, every reply awaited at most
     * {@code stepTimeout}; {@code settleMs} is passed on in hello.
     */
    public ConformanceRunner againstImpl(String command, java.time.Duration stepTimeout, long settleMs) {
        this.implOptions = new ImplSession.Options(command, stepTimeout, settleMs);
        return this;
    }

    /**
     * Trace at the API level (trace-validation/FORMAT.md, "Level api") instead of the lock level:
     * {@link #writingTraces} writes name.profile.api.ndjson, {@link #validatingTraces} checks them.
     */
    public ConformanceRunner apiLevel(boolean on) {
        this.apiLevel = on;
        return this;
    }

    /**
     * Every {@code .json} file under the given files and directories, sorted. A directory with
     * none stays in the list itself, so that the run reports it (a FAIL, not a silent success).
     */
    public static List<Path> collect(List<Path> roots) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path r : roots) {
            if (Files.isDirectory(r)) {
                try (Stream<Path> s = Files.walk(r)) {
                    List<Path> found = s.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted()
                            .collect(Collectors.toList());
                    files.addAll(found.isEmpty() ? List.of(r) : found);
                }
            } else {
                files.add(r);
            }
        }
        return files;
    }

    public Summary run(List<Path> files) {
        List<ScenarioRun.Verdict> verdicts = new ArrayList<>();
        List<List<TraceRecord>> traces = new ArrayList<>();
        List<Integer> maxEvents = new ArrayList<>();
        if (implOptions != null) {
            try {
                impl = new ImplSession(implOptions);
            } catch (Wire.ProtocolError e) {
                out.println("ERROR " + implOptions.command() + ": " + e.getMessage());
                out.println("0 passed, 0 failed, 0 skipped");
                return new Summary(0, 1, 0, List.of());
            }
            ImplProcess.Hello h = impl.hello();
            out.println("implementation " + h.name() + (h.version().isEmpty() ? "" : " " + h.version())
                    + ", profile " + (only != null ? only.id() : h.profile()) + ", blocking " + h.blocking()
                    + ", capabilities " + (h.capabilities().isEmpty() ? "none" : String.join(", ", h.capabilities())));
        }
        try {
            for (Path f : files) {
                long t0 = System.nanoTime();
                runFile(f, verdicts, traces, maxEvents);
                fileMillis.add((System.nanoTime() - t0) / 1e6);
            }
        } finally {
            if (impl != null) {
                impl.close();
            }
        }
        if (validateTraces) {
            verdicts = impl != null ? validateImplTraces(verdicts)
                    : apiLevel ? validateApi(verdicts) : validate(verdicts, traces, maxEvents);
        }
        int passed = 0;
        int failed = 0;
        for (ScenarioRun.Verdict v : verdicts) {
            if (v.passed()) {
                passed++;
                out.println("PASS " + v.name() + " [" + (v.profile() == null ? "-" : v.profile().id()) + "]");
            } else {
                failed++;
                out.println("FAIL " + v.name() + (v.profile() == null ? "" : " [" + v.profile().id() + "]")
                        + ": " + v.failure());
            }
        }
        for (Skip sk : skips) {
            out.println("SKIP " + sk.name() + " [" + sk.profile().id() + "]: needs " + sk.needs());
        }
        out.println(passed + " passed, " + failed + " failed, " + skips.size() + " skipped");
        return new Summary(passed, failed, skips.size(), verdicts);
    }

    /**
     * Every run's trace goes to TLC in one call (batched by profile and slot limit); a run whose
     * trace no behaviour of the spec can follow fails with the validator's report.
     */
    private List<ScenarioRun.Verdict> validate(List<ScenarioRun.Verdict> verdicts, List<List<TraceRecord>> traces,
                                               List<Integer> maxEvents) {
        List<Trace> all = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int n = 0; n < verdicts.size(); n++) {
            ScenarioRun.Verdict v = verdicts.get(n);
            if (v.profile() == null || traces.get(n) == null) {
                continue;
            }
            for (Trace t : Trace.perPort(v.name() + "[" + v.profile().id() + "]", v.profile(), maxEvents.get(n),
                    traces.get(n))) {
                all.add(t);
                owner.add(n);
            }
        }
        List<Verdict> tv = TraceValidator.validate(all);
        tracesValidated += all.size();
        List<ScenarioRun.Verdict> out = new ArrayList<>(verdicts);
        for (int j = 0; j < tv.size(); j++) {
            int n = owner.get(j);
            recordsValidated += tv.get(j).records();
            if (!tv.get(j).accepted() && out.get(n).passed()) {
                ScenarioRun.Verdict v = out.get(n);
                out.set(n, new ScenarioRun.Verdict(v.name(), v.profile(), "trace rejected: " + tv.get(j).report()));
            }
        }
        return out;
    }

    private int tracesValidated;
    private long recordsValidated;
    private final List<Double> fileMillis = new ArrayList<>();

    /** Wall time of each scenario file run so far (all its profiles), in ms: for reports. */
    public List<Double> fileMillis() {
        return List.copyOf(fileMillis);
    }

    /** Traces (one per port and run) validated so far, and their records. */
    public int tracesValidated() {
        return tracesValidated;
    }

    public long recordsValidated() {
        return recordsValidated;
    }

    private void runFile(Path f, List<ScenarioRun.Verdict> verdicts, List<List<TraceRecord>> traces,
                         List<Integer> maxEvents) {
        Scenario sc;
        try {
            sc = Scenario.parse(f);
        } catch (ScenarioException e) {
            String name = f.toString(); // FAIL <file>: <reason>
            verdicts.add(new ScenarioRun.Verdict(name, null, e.getMessage()));
            traces.add(null);
            maxEvents.add(0);
            return;
        }
        if (impl != null) {
            runOnImpl(sc, verdicts, traces, maxEvents);
            return;
        }
        for (Profile p : sc.profiles()) {
            if (only != null && p != only) {
                continue;
            }
            String id = sc.name() + "[" + p.id() + "]";
            if (apiLevel) {
                runApi(sc, p, verdicts);
                traces.add(null);
                maxEvents.add(0);
                continue;
            }
            MemorySink mem = (validateTraces || traceDir != null) ? new MemorySink() : null;
            TraceSink sink = mem != null ? mem : sinks == null ? null : sinks.apply(id);
            verdicts.add(new ScenarioRun(sc, p, sink).run());
            traces.add(mem == null ? null : mem.records());
            maxEvents.add(sc.limits().portMaxEvents());
            if (mem != null && traceDir != null) {
                try {
                    Files.createDirectories(traceDir);
                    TraceIo.write(traceDir.resolve(sc.name() + "." + p.id() + ".ndjson"), mem.records());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    /** The scenario's variant for the implementation's profile, or a SKIP naming what it needs. */
    private void runOnImpl(Scenario sc, List<ScenarioRun.Verdict> verdicts, List<List<TraceRecord>> traces,
                           List<Integer> maxEvents) {
        Profile p = only != null ? only : Profile.of(impl.hello().profile());
        if (!sc.profiles().contains(p)) {
            return;
        }
        java.util.Map<Capability, String> needs = Needs.of(sc, p);
        java.util.Set<Capability> has = impl.capabilities();
        List<String> missing = new ArrayList<>();
        for (java.util.Map.Entry<Capability, String> e : needs.entrySet()) {
            if (!has.contains(e.getKey())) {
                missing.add(e.getKey().wire() + " (" + e.getValue() + ")");
            }
        }
        if (!missing.isEmpty()) {
            skips.add(new Skip(sc.name(), p, String.join(", ", missing)));
            return;
        }
        Path trace = null;
        Path dir = traceDir;
        try {
            if (dir == null && validateTraces) {
                if (implTraceDir == null) {
                    implTraceDir = Files.createTempDirectory("eventports-impl-traces");
                }
                dir = implTraceDir;
            }
            if (dir != null) {
                Files.createDirectories(dir);
                trace = dir.resolve(sc.name() + "." + p.id() + ".api.ndjson");
                Files.deleteIfExists(trace);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        implTraces.add(trace);
        verdicts.add(impl.run(sc, p, trace));
        traces.add(null);
        maxEvents.add(sc.limits().portMaxEvents());
    }

    /** One run with its API-level trace, kept for validation and written to the trace directory. */
    private void runApi(Scenario sc, Profile p, List<ScenarioRun.Verdict> verdicts) {
        ApiTraces.Run run = ApiTraces.run(sc, p);
        verdicts.add(run.verdict());
        apiTraces.add(new ApiValidator.ApiTrace(sc.name() + "[" + p.id() + "]", p, run.records()));
        if (traceDir != null) {
            try {
                Files.createDirectories(traceDir);
                ApiTraceIo.write(traceDir.resolve(sc.name() + "." + p.id() + ".api.ndjson"), run.records());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * The API traces the implementation wrote go to TLC in one call; a run whose trace is
     * missing, unreadable or rejected fails (a run that failed already keeps its own reason).
     */
    private List<ScenarioRun.Verdict> validateImplTraces(List<ScenarioRun.Verdict> verdicts) {
        List<ScenarioRun.Verdict> out = new ArrayList<>(verdicts);
        List<ApiValidator.ApiTrace> batch = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        int k = 0;
        for (int n = 0; n < verdicts.size(); n++) {
            ScenarioRun.Verdict v = verdicts.get(n);
            if (v.profile() == null) {
                continue;
            }
            Path file = implTraces.get(k++);
            if (!v.passed() || file == null) {
                continue;
            }
            if (!Files.exists(file)) {
                out.set(n, new ScenarioRun.Verdict(v.name(), v.profile(), "API trace " + file
                        + ": the implementation wrote none"));
                continue;
            }
            try {
                batch.add(new ApiValidator.ApiTrace(v.name() + "[" + v.profile().id() + "]", v.profile(),
                        ApiTraceIo.read(file)));
                owner.add(n);
            } catch (IOException e) {
                out.set(n, new ScenarioRun.Verdict(v.name(), v.profile(), "API trace " + e.getMessage()));
            }
        }
        List<ApiVerdict> vs = ApiValidator.validate(batch);
        for (int j = 0; j < vs.size(); j++) {
            int n = owner.get(j);
            ApiVerdict a = vs.get(j);
            tracesValidated++;
            recordsValidated += a.records();
            if (!a.accepted()) {
                ScenarioRun.Verdict v = out.get(n);
                out.set(n, new ScenarioRun.Verdict(v.name(), v.profile(), "API trace rejected: " + a.report()));
            }
        }
        return out;
    }

    /** Every run's API trace goes to TLC in one call (a batch per profile); a rejected trace fails its run. */
    private List<ScenarioRun.Verdict> validateApi(List<ScenarioRun.Verdict> verdicts) {
        List<ApiVerdict> vs = ApiValidator.validate(apiTraces);
        List<ScenarioRun.Verdict> out = new ArrayList<>();
        int k = 0;
        for (ScenarioRun.Verdict v : verdicts) {
            if (v.profile() == null) {
                out.add(v);
                continue;
            }
            ApiVerdict a = vs.get(k++);
            tracesValidated++;
            recordsValidated += a.records();
            out.add(a.accepted() || !v.passed() ? v
                    : new ScenarioRun.Verdict(v.name(), v.profile(), "API trace rejected: " + a.report()));
        }
        return out;
    }

    /** Run one file in every profile it names (no trace validation). */
    List<ScenarioRun.Verdict> runFile(Path f) {
        Scenario sc;
        try {
            sc = Scenario.parse(f);
        } catch (ScenarioException e) {
            String name = f.toString(); // FAIL <file>: <reason>
            return List.of(new ScenarioRun.Verdict(name, null, e.getMessage()));
        }
        List<ScenarioRun.Verdict> vs = new ArrayList<>();
        for (Profile p : sc.profiles()) {
            if (only != null && p != only) {
                continue;
            }
            TraceSink sink = sinks == null ? null : sinks.apply(sc.name() + "[" + p.id() + "]");
            vs.add(new ScenarioRun(sc, p, sink).run());
        }
        return vs;
    }
}
