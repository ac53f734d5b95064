package org.acme.example.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A command-line tool the tests need that may be missing on a developer's machine (promtool, prometheus, helm).
 * Missing under CI (env {@code CI} set) fails the test, since {@code .ci/run} installs it; elsewhere the test
 * is skipped with a message saying what to install.
 */
public final class ExternalTool {

    private ExternalTool() {
    }

    /** The tool's path on PATH. */
    public static Path require(String name, String debianPackage) {
        return require(name, "apt-get install " + debianPackage, List.of());
    }

    /** The tool's path in one of {@code dirs}, else on PATH; {@code howToInstall} is what the message tells. */
    public static Path require(String name, String howToInstall, List<Path> dirs) {
        List<Path> searched = new ArrayList<>(dirs);
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            searched.add(Path.of(dir.isEmpty() ? "." : dir));
        }
        for (Path dir : searched) {
            Path candidate = dir.resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return missing(name + " is not installed: " + howToInstall);
    }

    /** Skips the test with {@code message}, or fails it under CI, where {@code .ci/run} installs every tool. */
    public static <T> T missing(String message) {
        if (System.getenv("CI") != null) {
            fail(message + " (.ci/run installs it; CI must not skip this test)");
        }
        Assumptions.assumeTrue(false, message);
        throw new AssertionError("unreachable");
    }

    public record Result(int exitCode, String output) {
    }

    /** Runs a command to completion, with {@code stdin} as its input; stdout and stderr together. */
    public static Result run(List<String> command, String stdin, Duration timeout) {
        try {
            Path output = Files.createTempFile("tool-", ".out");
            try {
                Process process = new ProcessBuilder(new ArrayList<>(command))
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    fail(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                            + Files.readString(output));
                }
                return new Result(process.exitValue(), Files.readString(output));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
