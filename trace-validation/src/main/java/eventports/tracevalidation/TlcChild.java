package eventports.tracevalidation;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One TLC run over one batch, in a JVM of its own: TLC keeps global static state, and a second
 * run in the same JVM was seen to reuse values of the first, so every batch gets a fresh JVM.
 *
 * <p>Usage: {@code TlcChild DIR}. DIR holds {@code batch.json} ({profile, maxEvents, report:
 * [index per trace or -1]}) and {@code trace-K.ndjson} for K = 1..n; the run writes
 * {@code result.json} ([{reached, states[], enabled[]}] per trace) and {@code tlc.out}.
 */
public final class TlcChild {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TlcChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rc;
        try {
            rc = run(dir);
        } catch (Throwable t) {
            Files.writeString(dir.resolve("error.txt"), String.valueOf(t));
            rc = 3;
        }
        System.exit(rc); // TLC leaves non-daemon threads behind
    }

    static int run(Path dir) throws IOException {
        ObjectNode spec = (ObjectNode) JSON.readTree(dir.resolve("batch.json").toFile());
        Profile profile = Profile.of(spec.get("profile").asText());
        int maxEvents = spec.get("maxEvents").asInt();
        List<Trace> traces = new ArrayList<>();
        int n = spec.get("traces").asInt();
        for (int k = 1; k <= n; k++) {
            traces.add(new Trace("t" + k, profile, maxEvents, TraceIo.read(dir.resolve("trace-" + k + ".ndjson"))));
        }
        Batch batch = new Batch(profile, maxEvents, traces);
        boolean report = spec.has("report");
        if (report) {
            int[] at = new int[n + 1];
            for (int k = 1; k <= n; k++) {
                at[k] = spec.get("report").get(k - 1).asInt();
            }
            batch.setReportAt(at);
        }
        Path tla = dir.resolve("tla");
        Files.createDirectories(tla);
        for (String f : List.of("EventPort.tla", "TraceEventPort.tla", "TraceEventPort.cfg")) {
            String specDir = System.getProperty("eventports.tv.specdir");
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
        String cfg = "TraceEventPort.cfg";
        if (report) {
            cfg = "TraceReport.cfg";
            Files.writeString(tla.resolve(cfg), Files.readString(tla.resolve("TraceEventPort.cfg"))
                    .replace("INVARIANT TraceProgressInv", "INVARIANT TraceReportInv"));
        }

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        ToolIO.out = capture;
        TraceOverrides.current = batch;
        TLC tlc = new TLC();
        ToolIO.setUserDir(tla.toString());
        List<String> params = new ArrayList<>(List.of("-config", cfg, "-workers", "1", "-nowarning",
                "-metadir", tla.resolve("states").toString()));
        if (spec.has("simulate")) {
            // a random walk of the constrained relation: a deterministic trace is its only behaviour
            int depth = traces.stream().mapToInt(t -> t.records().size()).max().orElse(0) * 2 + 10;
            params.addAll(List.of("-simulate", "num=" + spec.get("simulate").asInt(), "-depth", Integer.toString(depth),
                    "-seed", "1"));
        } else {
            params.addAll(List.of("-fpmem", "0.05", "-checkpoint", "0"));
        }
        params.add("TraceEventPort");
        tlc.handleParameters(params.toArray(new String[0]));
        tlc.setResolver(new SimpleFilenameToStream(tla.toString()));
        int ec = tlc.process();
        Files.writeString(dir.resolve("tlc.out"), buf.toString(StandardCharsets.UTF_8));
        if (ec != 0) {
            return 2;
        }
        ArrayNode res = JSON.createArrayNode();
        for (int k = 1; k <= n; k++) {
            ObjectNode o = res.addObject();
            List<Integer> origin = batch.origins.get(k - 1);
            int got = batch.reached[k];
            boolean done = got >= origin.size();
            o.put("reached", got);
            o.put("accepted", done);
            // the first record no behaviour matched, as an index into the trace as written
            o.put("next", done ? -1 : origin.get(Math.max(got, 0)));
            ArrayNode st = o.putArray("states");
            if (!done) {
                for (Value v : batch.statesAt.get(k)) {
                    st.add(v.toString());
                }
            }
            ArrayNode en = o.putArray("enabled");
            batch.enabled.get(k).forEach(en::add);
        }
        JSON.writeValue(dir.resolve("result.json").toFile(), res);
        return 0;
    }
}
