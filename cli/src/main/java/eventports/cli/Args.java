package eventports.cli;

import eventports.kernel.Profile;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What every command checks before it does any work: option values (a bad one is picocli's
 * one-line usage error, exit 2, never a stack trace after the work is done) and output paths
 * (checked, and created, first).
 */
final class Args {
    private Args() {
    }

    /** {@code illumos} or {@code corrected}. */
    static final class ProfileConverter implements ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) {
            try {
                return Profile.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected illumos or corrected, got '" + value + "'");
            }
        }
    }

    /** {@code illumos}, {@code corrected} or {@code both}. */
    static final class ProfilesConverter implements ITypeConverter<List<Profile>> {
        @Override
        public List<Profile> convert(String value) {
            if (value.equals("both")) {
                return List.of(Profile.ILLUMOS, Profile.CORRECTED);
            }
            try {
                return List.of(Profile.of(value));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected illumos, corrected or both, got '" + value + "'");
            }
        }
    }

    /** A usage error unless {@code ok}: {@code message} names the option and what it must be. */
    static void require(CommandSpec spec, boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /**
     * An output directory, made now: an existing file, or a directory that cannot be made or
     * written, is a usage error before any work starts.
     */
    static void outputDir(CommandSpec spec, Path dir, String option) {
        if (dir == null) {
            return;
        }
        require(spec, !Files.exists(dir) || Files.isDirectory(dir), option + ": " + dir + " is a file, not a directory");
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new ParameterException(spec.commandLine(), option + ": cannot create directory " + dir + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        require(spec, Files.isWritable(dir), option + ": cannot write into " + dir);
    }

    /** The message of an exception that escaped a command: one line, no stack trace. */
    static int oneLine(Exception ex, CommandLine cmd) {
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName()
                : ex.getClass().getSimpleName().equals("IOException") || ex instanceof java.io.UncheckedIOException
                ? ex.getMessage() : ex.getClass().getSimpleName() + ": " + ex.getMessage();
        cmd.getErr().println("eventports " + cmd.getCommandName() + ": " + msg.lines().findFirst().orElse(msg));
        if (Boolean.getBoolean("eventports.debug")) {
            ex.printStackTrace(cmd.getErr());
        }
        return 2;
    }
}
