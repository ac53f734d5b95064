package org.acme.example.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory settings the images ship, read from their Dockerfiles so that the tests run the service exactly as it
 * is deployed: the JVM options of {@code Dockerfile.jvm} ({@code ENV JAVA_OPTS}), with {@code -XX:MaxRAM} standing in
 * for the container's memory limit, and the arguments {@code Dockerfile.native} gives the native executable.
 */
public final class ProductionOptions {

    /** The Kubernetes memory limit of the manifests, which the heap percentages are relative to. */
    public static final long CONTAINER_MEMORY_BYTES = 256L * 1024 * 1024;

    private static final Path DOCKER = Path.of("src/main/docker");
    private static final Pattern JAVA_OPTS = Pattern.compile("(?m)^ENV JAVA_OPTS=\"([^\"]*)\"");
    private static final Pattern NATIVE_ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT \\[\"\\./application\"((?:, *\"[^\"]*\")*)\\]");

    private ProductionOptions() {
    }

    public static List<String> jvm() {
        List<String> options = new ArrayList<>();
        options.add("-XX:MaxRAM=" + CONTAINER_MEMORY_BYTES / (1024 * 1024) + "m");
        options.addAll(Arrays.asList(find(JAVA_OPTS, "Dockerfile.jvm").trim().split("\\s+")));
        return options;
    }

    public static List<String> nativeExecutable() {
        List<String> arguments = new ArrayList<>();
        for (String quoted : find(NATIVE_ENTRYPOINT, "Dockerfile.native").split(",")) {
            String argument = quoted.trim().replace("\"", "");
            if (!argument.isEmpty()) {
                arguments.add(argument);
            }
        }
        return arguments;
    }

    private static String find(Pattern pattern, String dockerfile) {
        try {
            Matcher matcher = pattern.matcher(Files.readString(DOCKER.resolve(dockerfile)));
            if (!matcher.find()) {
                throw new IllegalStateException(dockerfile + " no longer has the line " + pattern);
            }
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
