package eventports.cli;

import eventports.conformance.ConformanceRunner;
import eventports.kernel.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eventports conformance FILE_OR_DIR...}: replay scenarios, print PASS/FAIL lines. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Replay conformance scenarios (shared/conformance/FORMAT.md) on the deterministic runtime.")
final class ConformanceCommand implements Callable<Integer> {
    @Option(names = "--profile", description = "Run only this profile's variants: illumos or corrected.")
    String profile;

    @Option(names = "--validate-traces", description = "Also check every run's trace against the TLA+ spec with TLC.")
    boolean validateTraces;

    @Option(names = "--write-traces", paramLabel = "DIR", description = "Write every run's trace as NDJSON into DIR.")
    Path traceDir;

    @Option(names = "--level", defaultValue = "lock", paramLabel = "LEVEL",
            description = "Trace level of --write-traces and --validate-traces: lock (port.c's steps) or api "
                    + "(calls and returns, trace-validation/FORMAT.md \"Level api\"). Default: ${DEFAULT-VALUE}.")
    TraceCommand.Level level;

    @Parameters(arity = "1..*", paramLabel = "FILE_OR_DIR", description = "Scenario files or directories of them.")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
        Profile only = profile == null ? null : Profile.of(profile);
        ConformanceRunner runner = new ConformanceRunner(only, System.out, null)
                .validatingTraces(validateTraces).writingTraces(traceDir).apiLevel(level == TraceCommand.Level.api);
        ConformanceRunner.Summary s = runner.run(ConformanceRunner.collect(paths));
        return s.ok() ? 0 : 1;
    }
}
