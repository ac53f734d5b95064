package org.acme.example;

import org.acme.example.testing.ExternalTool;
import org.acme.example.testing.PackagedApp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Our own metric families ({@code example_*}) pass {@code promtool check metrics}: help text, naming, units.
 * Debian's promtool only parses the classic text format, hence the Accept header, and it also lints Quarkus'
 * built-in meters (exit 3, not ours to fix), hence the filter down to our families.
 */
class ExampleMetricsLintIT {

    @Test
    void ownMetricFamiliesPassPromtool() throws IOException, InterruptedException {
        String promtool = ExternalTool.require("promtool", "prometheus").toString();
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0.5"))) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest metrics = HttpRequest.newBuilder(URI.create(app.managementUrl() + "/metrics"))
                    .header("Accept", "text/plain; version=0.0.4").build();
            HttpResponse<String> response = client.send(metrics, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());

            String ours = ownFamilies(response.body());
            assertTrue(ours.contains("# TYPE example_requests_total counter"), ours);
            assertTrue(ours.contains("# TYPE example_failure_rate_ratio gauge"), ours);
            assertTrue(ours.contains("# TYPE example_build_info gauge"), ours);

            ExternalTool.Result lint = ExternalTool.run(List.of(promtool, "check", "metrics"), ours, Duration.ofSeconds(30));
            assertEquals(0, lint.exitCode(), "promtool check metrics:\n" + lint.output() + "\non:\n" + ours);
            assertEquals("", lint.output().trim(), "promtool check metrics found problems in:\n" + ours);
        }
    }

    /** The HELP/TYPE lines and samples of the families whose name starts with {@code example_}. */
    static String ownFamilies(String exposition) {
        return exposition.lines().filter(line -> {
            String name;
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                name = line.substring(7);
            } else if (line.startsWith("#")) {
                return false;
            } else {
                name = line;
            }
            return name.startsWith("example_");
        }).collect(Collectors.joining("\n", "", "\n"));
    }
}
