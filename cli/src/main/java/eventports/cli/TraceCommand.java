package eventports.cli;

import eventports.kernel.Limits;
import eventports.kernel.Profile;
import eventports.tracevalidation.Trace;
import eventports.tracevalidation.TraceIo;
import eventports.tracevalidation.TraceValidator;
import eventports.tracevalidation.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eventports trace validate FILE...}: is each NDJSON trace a behaviour of the spec? */
@Command(name = "trace", mixinStandardHelpOptions = true, description = "Work with traces of the Java core.",
        subcommands = {TraceCommand.Validate.class})
final class TraceCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check NDJSON traces (trace-validation/FORMAT.md) against spec/EventPort.tla with TLC.")
    static final class Validate implements Callable<Integer> {
        @Option(names = "--profile", defaultValue = "illumos", description = "The profile the run used (default: ${DEFAULT-VALUE}).")
        String profile;

        @Option(names = "--max-events", description = "The run's port_max_events (default: the illumos default).")
        int maxEvents = Limits.ILLUMOS_DEFAULTS.portMaxEvents();

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "NDJSON trace files.")
        List<Path> files;

        @Override
        public Integer call() {
            List<Trace> traces = new ArrayList<>();
            for (Path f : files) {
                try {
                    traces.addAll(Trace.perPort(f.toString(), Profile.of(profile), maxEvents, TraceIo.read(f)));
                } catch (IOException e) {
                    System.out.println("ERROR " + e.getMessage());
                    return 2;
                }
            }
            int bad = 0;
            long records = 0;
            for (Verdict v : TraceValidator.validate(traces)) {
                System.out.println(v.report());
                records += v.records();
                if (!v.accepted()) {
                    bad++;
                }
            }
            System.out.println((traces.size() - bad) + " passed, " + bad + " failed (" + records + " records)");
            return bad == 0 ? 0 : 1;
        }
    }
}
