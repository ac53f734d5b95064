package org.acme.example;

import org.acme.example.testing.ExpectedBuild;
import org.acme.example.testing.ScrapedMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@code example_build_info} says what runs: one series, value 1, the facts in its labels. */
@QuarkusTest
class BuildInfoTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void buildInfoNamesVersionCommitQuarkusJavaAndRuntime() {
        List<ScrapedMetrics.Sample> samples = ScrapedMetrics.scrape(metrics).samples("example_build_info");

        assertEquals(1, samples.size(), samples.toString());
        assertEquals(1.0, samples.get(0).value());
        assertEquals(Map.of(
                "version", ConfigProvider.getConfig().getValue("quarkus.application.version", String.class),
                "commit", ExpectedBuild.commit(),
                "quarkus", ExpectedBuild.quarkus(),
                "java", System.getProperty("java.version"),
                "runtime", "jvm"), samples.get(0).labels());
    }
}
