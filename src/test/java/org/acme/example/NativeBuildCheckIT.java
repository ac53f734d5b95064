package org.acme.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.acme.example.testing.ExternalTool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mvnw verify -Dnative} on a machine without GraalVM stops at once, before compiling or testing anything,
 * and says what to install or set; with a {@code native-image} where Quarkus looks for one, or a container build
 * asked for, the check lets the build go on (the native build itself is verified on a machine with GraalVM).
 * Each case runs the project's Maven wrapper with a controlled environment; a stand-in {@code native-image} script
 * is enough, since only the check runs.
 */
class NativeBuildCheckIT {

    private static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void withoutGraalVmTheNativeBuildStopsBeforeTheTestsAndSaysWhatToDo() {
        assumeNoNativeImageInTheTestJdk();
        ExternalTool.Result result = maven(List.of(), "verify", "-Dnative");

        assertNotEquals(0, result.exitCode(), result.output());
        String output = result.output();
        assertTrue(output.contains("native-needs-native-image"), output);
        for (String advice : List.of("GRAALVM_HOME", "Mandrel or GraalVM for JDK 25",
                "-Dquarkus.native.container-build=true", "-Dquarkus.native.container-runtime=podman")) {
            assertTrue(output.contains(advice), "no '" + advice + "' in:\n" + output);
        }
        assertFalse(output.contains("maven-compiler-plugin") || output.contains("compiler:"), "compiled:\n" + output);
        assertFalse(output.contains("Tests run:"), "ran tests:\n" + output);
    }

    @Test
    void aGraalVmHomeWithoutNativeImageDoesNotCount() {
        assumeNoNativeImageInTheTestJdk();
        ExternalTool.Result result = maven(List.of("GRAALVM_HOME=" + dir), "validate", "-Dnative");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("native-needs-native-image"), result.output());
    }

    @Test
    void nativeImageOnThePathLetsTheBuildGoOn() throws IOException {
        Path bin = standInNativeImage(dir.resolve("on-path"));
        ExternalTool.Result result = maven(List.of("PATH=" + bin + File.pathSeparator + pathWithoutNativeImage()),
                "validate", "-Dnative");
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void graalVmHomeLetsTheBuildGoOn() throws IOException {
        Path home = dir.resolve("graalvm");
        standInNativeImage(home);
        ExternalTool.Result result = maven(List.of("GRAALVM_HOME=" + home), "validate", "-Dnative");
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void aContainerBuildLetsTheBuildGoOn() {
        ExternalTool.Result result = maven(List.of(), "validate", "-Dnative", "-Dquarkus.native.container-build=true");
        assertEquals(0, result.exitCode(), result.output());
        result = maven(List.of("QUARKUS_NATIVE_CONTAINER_BUILD=true"), "validate", "-Dnative");
        assertEquals(0, result.exitCode(), result.output());
    }

    /**
     * The project's Maven wrapper, on the JDK that runs the tests, with no GraalVM in sight (no GRAALVM_HOME, no
     * native-image on the PATH, no Quarkus native settings in the environment) except what {@code settings} adds.
     */
    private static ExternalTool.Result maven(List<String> settings, String... args) {
        List<String> command = new ArrayList<>(List.of("env",
                "-u", "GRAALVM_HOME", "-u", "QUARKUS_NATIVE_GRAALVM_HOME",
                "-u", "QUARKUS_NATIVE_CONTAINER_BUILD", "-u", "QUARKUS_NATIVE_REMOTE_CONTAINER_BUILD",
                "JAVA_HOME=" + System.getProperty("java.home"), "PATH=" + pathWithoutNativeImage()));
        command.addAll(settings);
        command.addAll(List.of("./mvnw", "-B"));
        command.addAll(Arrays.asList(args));
        return ExternalTool.run(command, "", MAVEN_TIMEOUT);
    }

    private static String pathWithoutNativeImage() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty() && !Files.exists(Path.of(entry, "native-image")))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** On a machine whose test JDK is GraalVM, Quarkus finds native-image there: the build cannot be made to lack it. */
    private static void assumeNoNativeImageInTheTestJdk() {
        Assumptions.assumeFalse(Files.exists(Path.of(System.getProperty("java.home"), "bin", "native-image")),
                "the JDK running the tests has native-image");
    }

    /** A {@code bin/native-image} under {@code home} that is never run: only its presence is checked. */
    private static Path standInNativeImage(Path home) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path script = Files.writeString(bin.resolve("native-image"), "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }
}
