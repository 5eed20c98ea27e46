package eventports.tracevalidation;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The class-data archive of TLC's child JVMs (ClassArchive): written by the first child, moved
 * into place only when that child exited by itself, mapped by the next (its class loaded from
 * the archive), one writer at a time, none where the class path holds a directory; an archive
 * that does not fit changes neither the child's exit status nor its output. Each with this JVM's
 * java and with the newest Temurin under /usr/lib/jvm: a CDS archive before JDK 25, an AOT
 * cache from it.
 */
class ClassArchiveTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** This JVM's java, and the newest Temurin's if there is another. */
    static Stream<String> javas() {
        List<String> js = new ArrayList<>(List.of(JAVA));
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
            s.filter(p -> p.getFileName().toString().startsWith("temurin-"))
                    .map(p -> p.resolve("bin/java")).filter(Files::isExecutable)
                    .max(java.util.Comparator.comparingInt(p -> ClassArchive.feature(p.getParent().resolveSibling("release"))))
                    .map(Path::toString).filter(j -> !j.equals(JAVA)).ifPresent(js::add);
        } catch (IOException e) {
            // this JVM's java only
        }
        return js.stream();
    }

    /** The option that writes an archive with {@code java}, and the one that maps it. */
    private static String writes(String java) {
        return ClassArchive.aot(java) ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=";
    }

    private static String maps(String java) {
        return ClassArchive.aot(java) ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
    }

    @TempDir
    Path dir;
    private String before;

    @BeforeEach
    void archivesHere() {
        before = System.getProperty("eventports.cds.dir");
        System.setProperty("eventports.cds.dir", dir.resolve("cds").toString());
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty("eventports.cds.dir");
        } else {
            System.setProperty("eventports.cds.dir", before);
        }
    }

    /** A jar whose main prints a line and exits with status 3. */
    private Path jar() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/p"));
        Files.writeString(src.resolve("H.java"),
                "package p; public class H { public static void main(String[] a) { System.out.println(\"hi\"); System.exit(3); } }");
        Path out = Files.createDirectories(dir.resolve("classes"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
                src.resolve("H.java").toString()));
        Path jar = dir.resolve("h.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
            j.putNextEntry(new JarEntry("p/H.class"));
            j.write(Files.readAllBytes(out.resolve("p/H.class")));
        }
        return jar;
    }

    /** Run p.H from {@code cp} with {@code options}: exit status, then stdout and stderr. */
    private static Object[] run(String java, String cp, List<String> options, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(options);
        cmd.addAll(List.of(more));
        cmd.addAll(List.of("-cp", cp, "p.H"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Object[] {p.waitFor(), out};
    }

    @ParameterizedTest
    @MethodSource("javas")
    void theFirstChildWritesTheArchiveAndTheNextMapsIt(String java) throws Exception {
        String cp = jar().toString();
        ClassArchive.Use first = ClassArchive.forChild(java, cp, true);
        assertTrue(first.options().stream().anyMatch(o -> o.startsWith(writes(java))), first.toString());
        assertTrue(ClassArchive.forChild(java, cp, true).options().isEmpty(), "a second writer while the first writes");
        Object[] r = run(java, cp, first.options());
        assertEquals(3, r[0], "the program's own exit status");
        if (ClassArchive.aot(java)) {
            // the JVM that assembles an AOT cache says so, and no option silences it
            assertTrue(((String) r[1]).startsWith("hi\n"), "the program's output first:\n" + r[1]);
        } else {
            assertEquals("hi\n", r[1], "nothing but the program's output");
        }
        first.exited(true);
        assertTrue(Files.isRegularFile(first.archive()), "the archive is in place");
        assertFalse(Files.exists(first.writing()), "the written file was moved");
        assertFalse(Files.exists(first.lock()), "the lock is gone");

        ClassArchive.Use next = ClassArchive.forChild(java, cp, true);
        assertTrue(next.options().contains(maps(java) + first.archive()), next.toString());
        Object[] mapped = run(java, cp, next.options(), "-Xlog:class+load=info");
        assertEquals(3, mapped[0]);
        assertTrue(((String) mapped[1]).lines().anyMatch(l -> l.contains("p.H source: shared objects file")),
                "p.H was loaded from the archive:\n" + mapped[1]);

        // a C2 JVM maps the same archive; from an AOT cache it does not replay the profiles
        ClassArchive.Use c2 = ClassArchive.forChild(java, cp, true, true);
        assertTrue(c2.options().contains(maps(java) + first.archive()), c2.toString());
        assertEquals(ClassArchive.aot(java), c2.options().contains("-XX:-AOTReplayTraining"), c2.toString());
        Object[] r2 = run(java, cp, c2.options(), "-Xlog:class+load=info");
        assertEquals(3, r2[0]);
        assertTrue(((String) r2[1]).lines().anyMatch(l -> l.contains("p.H source: shared objects file")),
                "p.H was loaded from the archive:\n" + r2[1]);
    }

    @ParameterizedTest
    @MethodSource("javas")
    void aChildThatDidNotExitByItselfLeavesNoArchive(String java) throws Exception {
        String cp = jar().toString();
        ClassArchive.Use first = ClassArchive.forChild(java, cp, true);
        run(java, cp, first.options());
        first.exited(false);   // as if killed at the deadline: what it wrote may be partial
        assertFalse(Files.exists(first.archive()));
        assertFalse(Files.exists(first.writing()));
        assertFalse(Files.exists(first.lock()), "the next child may write one");
        assertFalse(ClassArchive.forChild(java, cp, true).options().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("javas")
    void anArchiveThatDoesNotFitChangesNothingButSpeed(String java) throws Exception {
        String cp = jar().toString();
        ClassArchive.Use first = ClassArchive.forChild(java, cp, true);
        Files.createDirectories(first.archive().getParent());
        try (OutputStream o = Files.newOutputStream(first.archive())) {
            o.write(new byte[100_000]);   // not an archive at all
        }
        first.exited(false);
        ClassArchive.Use next = ClassArchive.forChild(java, cp, true);
        assertTrue(next.options().contains(maps(java) + first.archive()), next.toString());
        Object[] r = run(java, cp, next.options());
        assertEquals(3, r[0]);
        assertEquals("hi\n", r[1], "the JVM's complaint about the archive is not in the output");
    }

    @Test
    void noArchiveWhereTheClassPathHoldsADirectory() throws Exception {
        Path jar = jar();
        String cp = dir.resolve("classes") + java.io.File.pathSeparator + jar;
        assertNull(ClassArchive.key(JAVA, cp));
        assertTrue(ClassArchive.forChild(JAVA, cp, true).options().isEmpty());
        // why: with a directory the JVM refuses to write one, and the exit status is not the program's
        Object[] r = run(JAVA, cp, List.of("-XX:ArchiveClassesAtExit=" + dir.resolve("x.jsa")));
        assertEquals(1, r[0], String.valueOf(r[1]));
    }

    @Test
    void aRebuiltJarGetsAnotherArchive() throws Exception {
        Path jar = jar();
        String k = ClassArchive.key(JAVA, jar.toString());
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertFalse(k.equals(ClassArchive.key(JAVA, jar.toString())));
    }

    @Test
    void anAotCacheFromJdk25AndACdsArchiveBefore() throws Exception {
        assertEquals(25, release("JAVA_VERSION=\"25.0.3\""));
        assertEquals(17, release("IMPLEMENTOR=\"Debian\"\nJAVA_VERSION=\"17.0.15\""));
        assertEquals(26, release("JAVA_VERSION=\"26-ea\""));
        assertEquals(0, release("IMPLEMENTOR=\"nobody\""));
        assertEquals(0, ClassArchive.feature(dir.resolve("no-such-jdk/release")));
        Path home = Files.createDirectories(dir.resolve("jdk25/bin"));
        Files.writeString(home.resolveSibling("release"), "JAVA_VERSION=\"25.0.3\"\n");
        String java25 = home.resolve("java").toString();
        assertTrue(ClassArchive.aot(java25));
        String before = System.getProperty("eventports.aot");
        System.setProperty("eventports.aot", "false");
        try {
            assertFalse(ClassArchive.aot(java25), "-Deventports.aot=false");
        } finally {
            if (before == null) {
                System.clearProperty("eventports.aot");
            } else {
                System.setProperty("eventports.aot", before);
            }
        }
    }

    private int release(String text) throws IOException {
        Path f = Files.createTempFile(dir, "release", "");
        Files.writeString(f, text + "\n");
        return ClassArchive.feature(f);
    }
}
