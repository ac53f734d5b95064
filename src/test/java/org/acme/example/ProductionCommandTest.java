package org.acme.example;

import org.acme.example.testing.ProductionOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README's production command runs the jar as the JVM image does: with every option of {@code JAVA_OPTS} in
 * Dockerfile.jvm, and {@code -XX:MaxRAM} for the container's memory limit.
 */
class ProductionCommandTest {

    private static final Pattern COMMAND = Pattern.compile(
            "## Run it in production\\n(?:.*\\n)*?```shell\\n(?:.*\\n)*?(java (?:[^\\n]*\\\\\\n)*[^\\n]*)\\n```");

    @Test
    void theReadmeRunsTheJarWithTheImagesOptions() throws IOException {
        Matcher command = COMMAND.matcher(Files.readString(Path.of("README.md")));
        assertTrue(command.find(), "no java command under \"Run it in production\" in README.md");
        List<String> words = new ArrayList<>(Arrays.asList(command.group(1).replace("\\\n", " ").trim().split("\\s+")));

        assertEquals("java", words.get(0));
        assertEquals(List.of("-jar", "target/quarkus-app/quarkus-run.jar"), words.subList(words.size() - 2, words.size()));
        List<String> options = words.subList(1, words.size() - 2);
        assertEquals(ProductionOptions.jvm().stream().sorted().toList(), options.stream().sorted().toList(),
                "the README's options against Dockerfile.jvm's JAVA_OPTS and -XX:MaxRAM");
    }
}
