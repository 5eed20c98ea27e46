package eventports.cli;

import eventports.conformance.ConformanceRunner;
import eventports.kernel.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eventports conformance FILE_OR_DIR...}: replay scenarios, print PASS/FAIL/SKIP lines. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = {"Replay conformance scenarios (conformance/FORMAT.md) on the Java core, or with --impl on "
                + "another implementation over conformance/PROTOCOL.md."})
final class ConformanceCommand implements Callable<Integer> {
    @Option(names = "--profile", description = "Run only this profile's variants: illumos or corrected "
            + "(with --impl: the profile to hold the implementation to; default: the one it claims).")
    String profile;

    @Option(names = "--validate-traces", description = "Also check every run's trace against the TLA+ spec with TLC.")
    boolean validateTraces;

    @Option(names = "--write-traces", paramLabel = "DIR", description = "Write every run's trace as NDJSON into DIR "
            + "(with --impl: the implementation writes its API-level trace there).")
    Path traceDir;

    @Option(names = "--impl", paramLabel = "COMMAND", description = "Run the scenarios on another implementation: "
            + "COMMAND is started with bash -c and driven over PROTOCOL.md on its stdin/stdout.")
    String impl;

    @Option(names = "--step-timeout", paramLabel = "MS", defaultValue = "10000",
            description = "With --impl: how long to wait for any reply (default: ${DEFAULT-VALUE} ms).")
    long stepTimeoutMs;

    @Option(names = "--settle-ms", paramLabel = "MS", defaultValue = "50",
            description = "With --impl: the settle interval passed in hello, for implementations that cannot report "
                    + "a sleeping thread (default: ${DEFAULT-VALUE} ms).")
    long settleMs;

    @Option(names = "--needs", description = "Do not run anything: print what each scenario needs of an implementation "
            + "(PROTOCOL.md capabilities) and how many scenarios each set of capabilities can run.")
    boolean needs;

    @Option(names = "--level", defaultValue = "lock", paramLabel = "LEVEL",
            description = "Trace level of --write-traces and --validate-traces: lock (port.c's steps) or api "
                    + "(calls and returns, trace-validation/FORMAT.md \"Level api\"). Default: ${DEFAULT-VALUE}.")
    TraceCommand.Level level;

    @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR", description = "Scenario files or directories of them.")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
        Profile only = profile == null ? null : Profile.of(profile);
        if (needs) {
            for (Profile p : only == null ? Profile.values() : new Profile[] {only}) {
                eventports.conformance.NeedsReport.print(ConformanceRunner.collect(paths), p, true, System.out);
                System.out.println();
            }
            return 0;
        }
        ConformanceRunner runner = new ConformanceRunner(only, System.out, null)
                .validatingTraces(validateTraces).writingTraces(traceDir).apiLevel(level == TraceCommand.Level.api);
        if (impl != null) {
            if (stepTimeoutMs <= 0 || settleMs < 0) {
                System.err.println("conformance: --step-timeout must be > 0 and --settle-ms >= 0");
                return 2;
            }
            runner.againstImpl(impl, Duration.ofMillis(stepTimeoutMs), settleMs);
        }
        ConformanceRunner.Summary s = runner.run(ConformanceRunner.collect(paths));
        return s.ok() ? 0 : 1;
    }
}
