package eventports.conformance;

import eventports.kernel.Profile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The runner's side of PROTOCOL.md across a whole invocation: the child implementation is
 * started once and said hello to; each scenario is a {@code begin} … {@code end} on it; a
 * child that died (a protocol error, or an implementation that exits after {@code end}) is
 * started again before the next scenario.
 */
final class ImplSession implements AutoCloseable {
    /** How to start and talk to the implementation. */
    record Options(String command, Duration stepTimeout, long settleMs) {
    }

    private final Options options;
    private ImplProcess impl;
    private ImplProcess.Hello hello;

    ImplSession(Options options) throws Wire.ProtocolError {
        this.options = options;
        start();
    }

    private void start() throws Wire.ProtocolError {
        impl = new ImplProcess(options.command(), options.stepTimeout());
        try {
            hello = impl.hello(options.settleMs());
        } catch (Wire.ProtocolError e) {
            String tail = String.join("\n    stderr: ", impl.stderrTail());
            impl.close();
            throw new Wire.ProtocolError(e.getMessage() + (tail.isEmpty() ? "" : "\n    stderr: " + tail));
        }
    }

    ImplProcess.Hello hello() {
        return hello;
    }

    Set<Capability> capabilities() {
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        for (String c : hello.capabilities()) {
            caps.add(Capability.of(c));
        }
        return caps;
    }

    /** Runs one scenario in one profile on the implementation (restarting it first if it died). */
    ScenarioRun.Verdict run(Scenario sc, Profile p, Path trace) {
        if (impl.dead() || !impl.alive()) {
            impl.close();
            try {
                start();
            } catch (Wire.ProtocolError e) {
                return new ScenarioRun.Verdict(sc.name(), p, "the implementation could not be started again: "
                        + e.getMessage());
            }
        }
        ExternalTarget target;
        try {
            target = new ExternalTarget(impl, sc, p, trace);
        } catch (ScenarioException e) {
            return new ScenarioRun.Verdict(sc.name(), p, "begin: " + e.getMessage());
        }
        return ScenarioRun.on(sc, p, target).run();
    }

    @Override
    public void close() {
        impl.close();
    }
}
