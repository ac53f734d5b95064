package org.acme.example;

import org.acme.example.testing.ExpectedBuild;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The packaged service says what it is, in its start-up log and in {@code example_build_info}: the version Quarkus
 * announces, the commit git reports for the build's clone, the Quarkus version on the class path, the Java that runs it,
 * and jvm or native.
 */
class BuildInfoIT {

    private static final Pattern QUARKUS_STARTED = Pattern.compile(
            "prometheus-example (\\S+) (?:on JVM|native) \\(powered by Quarkus (\\S+)\\)");
    private static final Pattern BUILD = Pattern.compile(
            "Build: version (\\S+), commit (\\S+), Quarkus (\\S+), Java (\\S+), (jvm|native)\"");

    @Test
    void theStartUpLogAndTheGaugeSayWhatRuns() {
        boolean nativeExecutable = "native".equals(System.getProperty("packaged.kind"));
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            String output = Poll.until("Quarkus' start-up line", Duration.ofSeconds(30), () -> {
                String log = app.output();
                return QUARKUS_STARTED.matcher(log).find() ? log : null;
            }, app::output);
            Matcher started = QUARKUS_STARTED.matcher(output);
            Matcher build = BUILD.matcher(output);
            assertTrue(started.find(), output);
            assertTrue(build.find(), "no build line in the start-up log:\n" + output);

            assertEquals(started.group(1), build.group(1), "the version Quarkus announces");
            assertEquals(ExpectedBuild.commit(), build.group(2));
            assertEquals(started.group(2), build.group(3), "the Quarkus version Quarkus announces");
            assertEquals(ExpectedBuild.quarkus(), build.group(3));
            if (!nativeExecutable) {
                assertEquals(System.getProperty("java.version"), build.group(4), "the java that runs the jar");
            }
            assertEquals(nativeExecutable ? "native" : "jvm", build.group(5));

            List<ScrapedMetrics.Sample> samples = ScrapedMetrics.scrape(app).samples("example_build_info");
            assertEquals(1, samples.size(), samples.toString());
            assertEquals(1.0, samples.get(0).value());
            assertEquals(Map.of("version", build.group(1), "commit", build.group(2), "quarkus", build.group(3),
                    "java", build.group(4), "runtime", build.group(5)), samples.get(0).labels());
        }
    }
}
