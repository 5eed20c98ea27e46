package eventports.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The eventports command line. Each subcommand is a thin shell over a module's Java API:
 * {@code conformance} (conformance/), {@code modelcheck} (model-check/), and later trace,
 * explore, check and bench.
 */
@Command(name = "eventports", mixinStandardHelpOptions = true, version = "eventports 0.1.0",
        description = "The formal-model-backed reference implementation of illumos event ports.",
        subcommands = {CheckCommand.class, ConformanceCommand.class, TraceCommand.class, ModelcheckCommand.class,
            ExploreCommand.class, BenchCommand.class, ReferenceImplCommand.class, StressCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        // TLC leaves non-daemon threads behind (tlc-notes.md): exit explicitly.
        System.exit(run(args));
    }

    /** Runs one command line and gives its exit status (0 ok, 1 a check failed, 2 bad usage or input). */
    static int run(String... args) {
        // an exception that escapes a command is one line on stderr and exit 2, never a stack trace
        return new CommandLine(new Main()).setExecutionExceptionHandler((ex, cmd, parsed) -> Args.oneLine(ex, cmd))
                .execute(args);
    }
}
