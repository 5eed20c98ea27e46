package eventports.modelcheck;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which java runs TLC's child JVMs: $JAVA_HOME's if set, else the newest Temurin JDK under
 * /usr/lib/jvm (TLC runs faster on it: model-check/README.md, "JDKs"), else this JVM's.
 * The launcher ./eventports makes the same choice for itself.
 */
public final class Jdk {
    private Jdk() {}

    static final Path JVM_DIR = Path.of("/usr/lib/jvm");

    /** The java binary for a child JVM. */
    public static String java() {
        return java(System.getenv(), JVM_DIR, System.getProperty("java.home"));
    }

    static String java(Map<String, String> env, Path jvmDir, String ownHome) {
        String home = env.get("JAVA_HOME");
        if (home != null && !home.isBlank() && Files.isExecutable(bin(Path.of(home)))) return bin(Path.of(home)).toString();
        return newestTemurin(jvmDir).map(Jdk::bin).orElse(bin(Path.of(ownHome))).toString();
    }

    static Optional<Path> newestTemurin(Path jvmDir) {
        if (!Files.isDirectory(jvmDir)) return Optional.empty();
        try (Stream<Path> s = Files.list(jvmDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("temurin-"))
                    .filter(p -> Files.isExecutable(bin(p)))
                    .max(Comparator.comparingInt(Jdk::feature));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** temurin-25-jdk-amd64 -> 25 (0 if the name has no version). */
    static int feature(Path p) {
        String[] parts = p.getFileName().toString().split("-");
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Path bin(Path home) {
        return home.resolve("bin").resolve(File.separatorChar == '\\' ? "java.exe" : "java");
    }
}
