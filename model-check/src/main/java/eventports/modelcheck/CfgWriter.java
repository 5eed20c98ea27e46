package eventports.modelcheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the model cfgs (model-check/MCEventPort*.cfg) from one place: what differs between
 * the models is {@link #MODELS}; what they share — every invariant ({@code *Inv}) and every
 * temporal property ({@code *Prop}) that spec/EventPort.tla defines, in the order it defines
 * them — is read from the spec itself. So a new invariant reaches every model by
 * regenerating, and CfgFilesTest fails while a checked-in cfg differs from what this writes.
 *
 * <p>The cfgs stay plain files, so stock TLC runs them as they are
 * ({@code tlc2.TLC -config MCEventPort_small.cfg MCEventPort}). Regenerate them from the
 * repository root with
 * <pre>
 * mvn -B -o -q compile -pl model-check &amp;&amp; java -cp model-check/target/classes eventports.modelcheck.CfgWriter
 * </pre>
 */
public final class CfgWriter {
    private CfgWriter() {}

    /**
     * One model of MCEventPort.tla: its cfg file, a comment saying what it is, its threads and
     * processes, its event bounds, the prefix of its definitions in MCEventPort.tla
     * ({@code Small} → SmallThreadProc, SmallEvOwner, SmallEvNoShare, SmallScript), further
     * substitutions, a state CONSTRAINT and a SYMMETRY (null for none), why it does not
     * check the temporal properties (null: it checks them), and whether the descriptor layer is
     * on (FdLayer; the models of portfs on its own, where the findings were found, have it off).
     */
    public record Model(String name, String file, List<String> about, String threads, String procs, int numEvents,
                        int maxEvents, String defs, List<String> substitutions, String constraint, String symmetry,
                        String noProperties, boolean fdLayer) {}

    /** Comment before CHECK_DEADLOCK: why a deadlock is no error in the models. */
    private static final String TERMINAL =
            "Terminal states (every script done) are normal; hangs are NoHangInv";

    public static final List<Model> MODELS = List.of(
        new Model("small", "MCEventPort_small.cfg",
            List.of("small model: two threads, two processes, three events; runs in seconds."),
            "t1, t2", "p1, p2", 3, 3, "Small", List.of(), null, null, null, false),
        new Model("close", "MCEventPort_close.cfg",
            List.of("close model: the last close racing with a waiter, a retriever and an alert; seconds."),
            "t1, t2, t3", "p1", 1, 1, "Close", List.of(), null, null, null, false),
        new Model("ring", "MCEventPort_ring.cfg",
            List.of("ring model: a retrying waiter at the head of the ring and W2; seconds."),
            "t1, t2, t3", "p1, p2", 1, 1, "Ring", List.of(), null, null, null, false),
        new Model("smallnull", "MCEventPort_smallnull.cfg",
            List.of("smallnull model: small with NULL timeouts instead of positive ones (a stranded waiter",
                    "hangs instead of stalling until its deadline: F4, F9); seconds."),
            "t1, t2", "p1, p2", 3, 3, "SmallNull", List.of(), null, null, null, false),
        new Model("ringnull", "MCEventPort_ringnull.cfg",
            List.of("ringnull model: ring with NULL timeouts instead of positive ones (F11); seconds."),
            "t1, t2, t3", "p1, p2", 1, 1, "RingNull", List.of(), null, null, null, false),
        new Model("default", "MCEventPort.cfg",
            List.of("default model: three threads, two processes, three events (MaxEvents 2: EAGAIN);"
                    + " minutes on 2 cores."),
            "t1, t2, t3", "p1, p2", 3, 2, "Default", List.of(), null, null, null, false),
        new Model("large", "MCEventPort_large.cfg",
            List.of("large model: four threads, two processes, three events (MaxEvents 2); invariants",
                    "only, with symmetry (t1 and t2 are interchangeable); hours on 2 cores."),
            "t1, t2, t3, t4", "p1, p2", 3, 2, "Large", List.of(), null, "LargeSymmetry",
            "symmetry reduction is sound for invariants (see LargeSymmetry), not for liveness", false),
        new Model("fd", "MCEventPort_fd.cfg",
            List.of("fd model: an FD association (associate, fire, deliver, re-associate, dissociate, close)",
                    "next to a USER event; seconds."),
            "t1, t2", "p1, p2", 2, 2, "Fd", List.of("Fds <- FdFds", "FdOf <- FdFdOf"), "FdBound", null,
            "FdBound cuts behaviours short, which liveness checking cannot tell from a hang", false),
        new Model("poll", "MCEventPort_poll.cfg",
            List.of("poll model: the port's own descriptor polled (port_poll, port_pollwkup, port_pollwkdone)",
                    "next to an FD association, a USER event, a retrieval and the last close; seconds."),
            "t1", "p1", 2, 2, "Poll", List.of("Fds <- PollFds", "FdOf <- PollFdOf", "PortPolled <- PollPolled"),
            "PollBound", null,
            "PollBound cuts behaviours short, which liveness checking cannot tell from a hang", false),
        new Model("layer", "MCEventPort_layer.cfg",
            List.of("layer model: the descriptor layer on (FdLayer); one process holding the port through two",
                    "descriptors (a dup), three threads, one event; seconds."),
            "t1, t2, t3", "p1", 1, 1, "Layer", List.of("InitRefs <- LayerRefs"), null, null, null, true),
        new Model("alert", "MCEventPort_alert.cfg",
            List.of("alert model: an alert set and cleared around two waiters, no close; the descriptor layer",
                    "on (FdLayer); seconds."),
            "t1, t2, t3", "p1", 2, 2, "Alert", List.of(), null, null, null, true),
        new Model("share", "MCEventPort_share.cfg",
            List.of("share model: two processes share the port and both close it (a per-process close, then the",
                    "last close) next to an FD association and a timer; seconds."),
            "t1, t2", "p1, p2", 3, 3, "Share",
            List.of("Fds <- ShareFds", "FdOf <- ShareFdOf", "TimerObjs <- ShareTimers"), "ShareBound", null,
            "ShareBound cuts behaviours short, which liveness checking cannot tell from a hang", false),
        new Model("ranks", "MCEventPort_ranks.cfg",
            List.of("ranks model: three waiters asking for 1, 2 and 3 events (waiter priority with three ranks),",
                    "three USER events; minutes."),
            "t1, t2, t3", "p1", 3, 3, "Ranks", List.of(), null, null, null, false),
        new Model("window", "MCEventPort_window.cfg",
            List.of("window model: an FD event denied to another process while its owner re-associates",
                    "(port_copy_event's window without a lock, CopyWindow); seconds."),
            "t1", "p1, p2", 1, 1, "Window",
            List.of("Fds <- WindowFds", "FdOf <- WindowFdOf", "CopyWindow <- WindowCopyWindow"), "WindowBound", null,
            "WindowBound cuts behaviours short, which liveness checking cannot tell from a hang", false));

    /** The operators of a TLA+ module whose names end in {@code suffix}, in definition order. */
    public static List<String> operators(String module, String suffix) {
        List<String> l = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(\\w+" + Pattern.quote(suffix) + ")\\s*==").matcher(module);
        while (m.find()) l.add(m.group(1));
        return l;
    }

    /** The cfg of {@code m} for the spec whose text is {@code spec}. */
    public static String cfg(Model m, String spec) {
        StringBuilder b = new StringBuilder();
        for (String a : m.about()) b.append("\\* ").append(a).append('\n');
        b.append("\\* Written by eventports.modelcheck.CfgWriter, which lists every *Inv and *Prop of\n");
        b.append("\\* EventPort.tla; change that class, not this file (model-check/README.md).\n");
        b.append("CONSTANTS\n");
        line(b, "Threads = {" + m.threads() + "}");
        line(b, "Procs = {" + m.procs() + "}");
        for (String c : List.of("t1", "t2", "t3", "t4", "p1", "p2", "NoThread", "NoProc")) line(b, c + " = " + c);
        line(b, "NumEvents = " + m.numEvents());
        line(b, "MaxEvents = " + m.maxEvents());
        for (String d : List.of("ThreadProc", "EvOwner", "EvNoShare", "Script")) {
            line(b, d + " <- " + m.defs() + d);
        }
        m.substitutions().forEach(s -> line(b, s));
        line(b, "Profile = \"corrected\"");
        line(b, "Fixes = {}");
        line(b, "FdLayer = " + (m.fdLayer() ? "TRUE" : "FALSE"));
        // The folded relation (spec/FoldedEventPort.tla): one step per critical section.
        b.append("SPECIFICATION FoldedSpec\n");
        if (m.constraint() != null) b.append("CONSTRAINT ").append(m.constraint()).append('\n');
        if (m.symmetry() != null) b.append("SYMMETRY ").append(m.symmetry()).append('\n');
        if (m.noProperties() == null) {
            b.append("\\* ").append(TERMINAL).append(" and the PROPERTIES.\n");
        } else {
            b.append("\\* No PROPERTIES: ").append(m.noProperties()).append(".\n");
            b.append("\\* ").append(TERMINAL).append(".\n");
        }
        b.append("CHECK_DEADLOCK FALSE\n");
        b.append("INVARIANTS\n");
        operators(spec, "Inv").forEach(i -> line(b, i));
        if (m.noProperties() == null) {
            b.append("PROPERTIES\n");
            operators(spec, "Prop").forEach(p -> line(b, p));
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String s) {
        b.append("    ").append(s).append('\n');
    }

    /** Write every model's cfg into {@code dir} for the spec in {@code specFile}. */
    public static void write(Path dir, Path specFile) throws IOException {
        String spec = Files.readString(specFile);
        for (Model m : MODELS) Files.writeString(dir.resolve(m.file()), cfg(m, spec));
    }

    /** {@code CfgWriter [MODEL_CHECK_DIR [SPEC]]}: defaults model-check and spec/EventPort.tla. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "model-check");
        Path spec = args.length > 1 ? Path.of(args[1]) : dir.resolve("../spec/EventPort.tla");
        write(dir, spec);
        System.out.println("wrote " + MODELS.size() + " cfgs into " + dir);
    }
}
