package eventports.tracevalidation;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Class-data sharing (AppCDS) for the JVMs that run TLC on traces: a cold child, a warm server.
 * A cold child spends much of its start loading TLC's classes from jars; an archive of them,
 * mapped at start, saves part of that (README.md, "Speed": a 10k-record child alone 3.6 s
 * without, 3.2 s with, JDK 25, 2 cores). Model checking starts few JVMs, each for long: its
 * main job measured no gain (97 s either way), so it has none.
 *
 * <p>The archive is made once per JDK and class path. The first child that finds none writes
 * one as it exits (-XX:ArchiveClassesAtExit) under a name of its own, and the parent moves it
 * into place once that child has exited by itself, so no JVM maps a half-written file; the
 * children started meanwhile run without one. A JVM checks an archive against its own class
 * path and JDK and ignores one that does not fit (-Xshare:auto); the archive's log lines are
 * off, so an archive changes nothing but speed. The name holds a digest of the JDK and of each
 * class path entry's path, size and time, so a rebuilt jar gets a new archive; the newest
 * {@link #KEEP} are kept.
 *
 * <p>On JDK 25 and later (the launcher's Temurin) the archive is an AOT cache (JEP 483, 514,
 * 515: -XX:AOTCacheOutput to write, -XX:AOTCache to map): classes come loaded and linked, with
 * the training run's method profiles, where a CDS archive only spares parsing them. A cold
 * 10k-record child measured 2.0-2.4 s with it against 2.6-2.9 s with a CDS archive (2 cores,
 * quiet, with the trace loaded beside the parse). Writing costs more once: the child that
 * trains exits about 6 s later (the JVM assembles the cache in a JVM of its own, whose lines
 * go to the child's output, which is read only when a run fails). Older JDKs write a CDS
 * archive as before.
 *
 * <p>Off where the class path holds a directory (a test's target/classes): the JVM refuses to
 * write an archive then, and exits with status 1 whatever the program returned. Off with
 * {@code -Deventports.cds=false}. Directory: {@code -Deventports.cds.dir}, by default
 * {@code eventports-cds-USER} in the temporary directory.
 */
final class ClassArchive {
    /** Archives kept in the directory (about 15 MB each, 30 MB an AOT cache). */
    static final int KEEP = 4;
    /** A creation lock older than this was left by a parent that died: ignored and removed. */
    static final long STALE_LOCK_MILLIS = 10 * 60_000L;

    /** The options for one JVM, and what its parent does once that JVM has exited. */
    public record Use(List<String> options, Path writing, Path archive, Path lock) {
        static final Use NONE = new Use(List.of(), null, null, null);

        /**
         * The JVM has ended; {@code byItself}: it exited (not killed, not timed out), so an
         * archive it wrote is whole and goes into place.
         */
        public void exited(boolean byItself) {
            if (writing == null) {
                return;
            }
            try {
                if (byItself && Files.isRegularFile(writing) && Files.size(writing) > 0) {
                    Files.move(writing, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    prune(archive.getParent());
                }
            } catch (IOException e) {
                // no archive this time: the next child tries again
            } finally {
                deleteQuietly(writing);
                deleteQuietly(writing.resolveSibling(writing.getFileName() + ".config")); // an AOT training run's, if cut short
                deleteQuietly(lock);
            }
        }
    }

    private ClassArchive() {
    }

    /**
     * The options for a JVM started by the executable {@code java} with this JVM's class path
     * ({@code java.class.path}): map the archive if there is one; otherwise, if {@code mayWrite}
     * and no other child is writing one, write it at exit. {@code c2}: the JVM compiles with C2
     * (a long batch, a warm server), and so does not replay an AOT cache's method profiles: the
     * cache is mostly trained by a short, C1-only child, and C2 code built on those profiles ran
     * a 100k-record generated trace in 11.7-13.5 s against 8.3-10.8 s without them, as fast as
     * with a CDS archive (2 cores, three rounds).
     */
    public static Use forChild(String java, boolean mayWrite, boolean c2) {
        return forChild(java, System.getProperty("java.class.path"), mayWrite, c2);
    }

    static Use forChild(String java, String classPath, boolean mayWrite) {
        return forChild(java, classPath, mayWrite, false);
    }

    static Use forChild(String java, String classPath, boolean mayWrite, boolean c2) {
        if (!Boolean.parseBoolean(System.getProperty("eventports.cds", "true"))) {
            return Use.NONE;
        }
        String key = key(java, classPath);
        if (key == null) {
            return Use.NONE;
        }
        Path dir = dir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return Use.NONE;
        }
        boolean aot = aot(java);
        String ext = aot ? ".aot" : ".jsa";
        Path archive = dir.resolve("tlc-" + key + ext);
        if (Files.isRegularFile(archive)) {
            if (!aot) {
                return new Use(List.of("-Xlog:cds*=off", "-XX:SharedArchiveFile=" + archive), null, null, null);
            }
            List<String> maps = new ArrayList<>(List.of("-Xlog:cds*=off,aot*=off", "-XX:AOTCache=" + archive));
            if (c2) {
                maps.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining"));
            }
            return new Use(List.copyOf(maps), null, null, null);
        }
        if (!mayWrite) {
            return Use.NONE;
        }
        Path lock = dir.resolve("tlc-" + key + ".lock");
        try {
            Files.createFile(lock);
        } catch (FileAlreadyExistsException e) {
            try {
                if (System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis() > STALE_LOCK_MILLIS) {
                    Files.deleteIfExists(lock);
                }
            } catch (IOException ignored) {
                // another parent is removing it too
            }
            return Use.NONE;
        } catch (IOException e) {
            return Use.NONE;
        }
        Path writing = dir.resolve("tlc-" + key + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".part" + ext);
        return new Use(aot ? List.of("-Xlog:cds*=off,aot*=off", "-XX:AOTCacheOutput=" + writing)
                : List.of("-Xlog:cds*=off", "-XX:ArchiveClassesAtExit=" + writing), writing, archive, lock);
    }

    /**
     * Whether {@code java} writes and maps an AOT cache: its JDK (the {@code release} file of
     * its home) is 25 or later. {@code -Deventports.aot=false}: CDS whatever the JDK.
     */
    static boolean aot(String java) {
        if (!Boolean.parseBoolean(System.getProperty("eventports.aot", "true"))) {
            return false;
        }
        return feature(Path.of(java).toAbsolutePath().getParent().resolveSibling("release")) >= 25;
    }

    /** The feature version in a JDK's release file (JAVA_VERSION="25.0.3" gives 25), 0 if unreadable. */
    static int feature(Path release) {
        try {
            for (String l : Files.readAllLines(release)) {
                if (l.startsWith("JAVA_VERSION=")) {
                    String v = l.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no release file, or one we cannot read: the older mechanism
        }
        return 0;
    }

    static Path dir() {
        String d = System.getProperty("eventports.cds.dir");
        return d != null ? Path.of(d)
                : Path.of(System.getProperty("java.io.tmpdir"), "eventports-cds-" + System.getProperty("user.name", "user"));
    }

    /**
     * A digest of the JDK (its executable, and its class image, which an update rewrites) and of
     * the class path's entries, or null if an entry is a directory or missing.
     */
    static String key(String java, String classPath) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            Path exe = Path.of(java).toAbsolutePath();
            List<Path> files = new ArrayList<>(List.of(exe.getParent().resolveSibling("lib").resolve("modules")));
            for (String e : classPath.split(File.pathSeparator)) {
                files.add(Path.of(e));
            }
            md.update((exe + "\n").getBytes(StandardCharsets.UTF_8));
            for (Path p : files) {
                if (p.toString().isEmpty() || !Files.isRegularFile(p)) {
                    return null;
                }
                md.update((p.toAbsolutePath() + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest(), 0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** Keep the newest {@link #KEEP} archives of {@code dir}. */
    static void prune(Path dir) {
        List<Path> archives = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().startsWith("tlc-")
                    && (p.toString().endsWith(".jsa") || p.toString().endsWith(".aot"))
                    && !p.toString().endsWith(".part.jsa") && !p.toString().endsWith(".part.aot")).forEach(archives::add);
        } catch (IOException e) {
            return;
        }
        archives.sort(Comparator.comparingLong(ClassArchive::modified).reversed());
        for (Path p : archives.subList(Math.min(KEEP, archives.size()), archives.size())) {
            deleteQuietly(p);   // a JVM that has it mapped keeps its pages
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover file is harmless; prune or the next creation removes it
        }
    }
}
