package eventports.cli;

import eventports.kernel.Layer;
import eventports.kernel.Profile;
import eventports.stress.StressRun;
import eventports.trace.FileSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code eventports stress}: the real-thread stress harness ({@link StressRun}) for as long as
 * asked, its accounting checked as it goes in bounded memory, and with {@code --trace} its
 * whole trace written to a file as it is made (for {@code eventports trace validate}).
 */
@Command(name = "stress", mixinStandardHelpOptions = true,
        description = {"Run the real-thread stress harness: processes sharing ports, senders, getters with timeouts,"
                + " interrupts, alerts, per-process and last closes, forks and exits; every event accounted for.",
                "Prints the accounting: sent = delivered + drained + discarded + lost, nothing duplicated, and on which"
                        + " documented path each lost or discarded event went. Exit status 0 when every event is"
                        + " accounted for, 1 otherwise."})
public final class StressCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "S", description = "How long the load runs (default ${DEFAULT-VALUE}; decimals allowed).")
    double seconds = 10;

    @Option(names = "--profile", paramLabel = "P", defaultValue = "illumos", converter = Args.ProfileConverter.class,
            description = "illumos or corrected (default ${DEFAULT-VALUE}).")
    Profile profile;

    @Option(names = "--layer", paramLabel = "L", defaultValue = "descriptors",
            description = "descriptors (stock illumos, default) or portfs (port.c's close protocol on its own).")
    String layer;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice (default ${DEFAULT-VALUE};"
            + " the interleaving is the JVM's).")
    long seed = 20261127L;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write the run's whole trace to FILE (NDJSON,"
            + " trace-validation/FORMAT.md), streaming.")
    Path trace;

    @Option(names = "--checkpoint", paramLabel = "N", description = "With --trace: a checkpoint record (the port's"
            + " state, trace-validation/FORMAT.md) after every N records of a port, at its next quiet moment, so that"
            + " `trace validate --jobs` checks long ports in segments (default ${DEFAULT-VALUE}; 0: none).")
    long checkpoint = 20000;

    @Override
    public Integer call() throws Exception {
        Args.require(spec, seconds > 0 && seconds <= 366 * 86400.0, "--seconds must be a positive number of seconds, got " + seconds);
        Layer l = null;
        try {
            l = Layer.of(layer);
        } catch (IllegalArgumentException e) {
            Args.require(spec, false, "--layer: " + e.getMessage());
        }
        Args.require(spec, checkpoint >= 0, "--checkpoint must be 0 or more, got " + checkpoint);
        FileSink sink = null;
        if (trace != null) {
            // read by the core's Tracer when the run's PortSystem is made
            System.setProperty("eventports.trace.checkpoint", Long.toString(checkpoint));
            try {
                sink = new FileSink(trace);
            } catch (IOException | SecurityException e) {
                throw new ParameterException(spec.commandLine(), "--trace: cannot write " + trace + " ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            }
        }
        PrintStream o = System.out;
        long millis = Math.max(1, Math.round(seconds * 1000));
        o.println("stress: " + profile.id() + ", " + l.id() + ", seed " + seed + ", " + millis + " ms of load"
                + (trace == null ? "" : ", trace to " + trace));
        StressRun run = new StressRun(profile, l, seed, millis, sink);
        StressRun.Figures f;
        try {
            f = run.run();
        } catch (AssertionError e) {
            o.println("FAIL " + e.getMessage());
            closeQuietly(sink);
            return 1;
        }
        o.println(f);
        o.printf("accounting: sent %d = delivered %d + drained %d + discarded %d + lost %d; duplicated %d%n",
                f.sent(), f.delivered(), f.drained(), f.discarded(), f.lost(), f.duplicates());
        o.printf("  discarded FREE %d (a closing process's NOSHARE events, port_discard_events; port.c:1396-1404,"
                + " trace port_copy_event outcome=discard)%n", f.discardedFree());
        o.printf("  discarded at last close %d (port_close_events, the queue of a port's last close)%n", f.discardedClose());
        o.printf("  lost %d (the last retriever out of a closing port drops what it unlinked; port.c:1491-1500,"
                + " trace port_unblock lost=N)%n", f.lost());
        o.printf("  %d trace records, %.0f records/s, %.0f events/s%n", f.traceRecords(),
                f.traceRecords() * 1000.0 / Math.max(1, f.wallMillis()), f.sent() * 1000.0 / Math.max(1, f.wallMillis()));
        if (sink != null) {
            try {
                sink.close();
            } catch (IOException e) {
                o.println("FAIL trace: " + e.getMessage());
                return 1;
            }
            o.println("  trace: " + sink.written() + " records written to " + trace);
        }
        o.println("OK every event accounted for");
        return 0;
    }

    private static void closeQuietly(FileSink sink) {
        if (sink != null) {
            try {
                sink.close();
            } catch (IOException e) {
                // the run already failed; its own report says why
            }
        }
    }
}
