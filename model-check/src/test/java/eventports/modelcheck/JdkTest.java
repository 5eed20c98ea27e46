package eventports.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which java the child JVMs get: $JAVA_HOME, else the newest Temurin, else this JVM's. */
class JdkTest {
    @TempDir Path dir;

    private Path jdk(String name) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("jvm").resolve(name).resolve("bin"));
        Path java = Files.createFile(bin.resolve("java"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        return java;
    }

    @Test
    void newestTemurinWinsOverTheRunningJdk() throws Exception {
        jdk("temurin-21-jdk-amd64");
        Path t25 = jdk("temurin-25-jdk-amd64");
        jdk("java-17-openjdk-amd64");
        assertEquals(t25.toString(), Jdk.java(Map.of(), dir.resolve("jvm"), "/own"));
    }

    @Test
    void javaHomeWinsWhenSet() throws Exception {
        jdk("temurin-25-jdk-amd64");
        Path j17 = jdk("java-17-openjdk-amd64");
        assertEquals(j17.toString(), Jdk.java(Map.of("JAVA_HOME", j17.getParent().getParent().toString()),
                dir.resolve("jvm"), "/own"));
    }

    @Test
    void withoutTemurinTheRunningJdk() throws Exception {
        jdk("java-17-openjdk-amd64");
        assertEquals(Path.of("/own", "bin", "java").toString(), Jdk.java(Map.of("JAVA_HOME", " "), dir.resolve("jvm"), "/own"));
        assertEquals(Path.of("/own", "bin", "java").toString(), Jdk.java(Map.of(), dir.resolve("nowhere"), "/own"));
    }
}
