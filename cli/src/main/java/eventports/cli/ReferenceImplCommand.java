package eventports.cli;

import eventports.conformance.Capability;
import eventports.conformance.ProtocolServer;
import eventports.kernel.CoreFault;
import eventports.kernel.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code eventports reference-impl}: the Java reference speaking PROTOCOL.md on stdin/stdout,
 * so that {@code conformance --impl './eventports reference-impl'} checks the protocol, the
 * runner and an implementation's capability handling end to end.
 */
@Command(name = "reference-impl", mixinStandardHelpOptions = true,
        description = "Serve the Java reference over conformance/PROTOCOL.md on stdin/stdout (for --impl).")
final class ReferenceImplCommand implements Callable<Integer> {
    @Option(names = "--profile", defaultValue = "illumos", description = "The profile it claims (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--capabilities", split = ",", paramLabel = "CAP",
            description = "Declare only these capabilities (default: all of them).")
    List<String> capabilities;

    @Option(names = "--fault", split = ",", paramLabel = "FAULT",
            description = "Switch on deliberate core mistakes (checker tests), e.g. FIFO_WAITERS.")
    List<CoreFault> faults;

    @Override
    public Integer call() throws Exception {
        Set<Capability> caps = capabilities == null ? ProtocolServer.all() : ProtocolServer.capabilities(capabilities);
        Set<CoreFault> f = faults == null ? EnumSet.noneOf(CoreFault.class) : EnumSet.copyOf(faults);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        new ProtocolServer(Profile.of(profile), caps, f).serve(
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out);
        return 0;
    }
}
