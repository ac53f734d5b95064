package org.acme.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.acme.example.testing.ExternalTool;
import org.acme.example.testing.PackagedApp;
import org.junit.jupiter.api.Test;

/**
 * The load generator as the README and the soak script run it: from its source file, with nothing built, against
 * the packaged service; and what it says when it is given bad arguments.
 */
class HttpLoadCommandIT {

    private static final String SOURCE = "src/test/java/org/acme/example/testing/HttpLoad.java";
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @Test
    void runsFromItsSourceAndCountsWhatItWasAnswered() {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0"))) {
            ExternalTool.Result result = ExternalTool.run(
                    httpLoad(List.of(String.valueOf(app.httpPort()), "/example", "4", "2")), "", TIMEOUT);

            assertEquals(0, result.exitCode(), result.output());
            assertTrue(Pattern.compile("answers \\{200=[1-9]\\d*}, refused 0, resets 0, closed-before-answer 0, "
                    + "truncated 0, timeouts 0").matcher(result.output()).find(), result.output());
        }
    }

    @Test
    void badArgumentsGetTheUsage() {
        for (List<String> args : List.of(List.<String>of(), List.of("http"), List.of("8080", "example"),
                List.of("8080", "/example", "0"), List.of("8080", "/example", "2", "-1"))) {
            ExternalTool.Result result = ExternalTool.run(httpLoad(args), "", TIMEOUT);
            assertEquals(2, result.exitCode(), args + ": " + result.output());
            assertTrue(result.output().contains("usage: java " + SOURCE + " PORT [PATH [CONNECTIONS [SECONDS]]]"),
                    args + ": " + result.output());
        }
    }

    /** {@code java src/test/java/.../HttpLoad.java ARGS}, on the JDK that runs the tests. */
    private static List<String> httpLoad(List<String> args) {
        List<String> command = new ArrayList<>(List.of(JAVA, SOURCE));
        command.addAll(args);
        return command;
    }
}
