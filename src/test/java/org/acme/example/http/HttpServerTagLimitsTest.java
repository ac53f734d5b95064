package org.acme.example.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class HttpServerTagLimitsTest {

    @Test
    void unknownUrisAndMethodsShareOneValueEach() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new HttpServerTagLimits().boundHttpServerTags());

        time("GET", "/example", registry);
        time("GET", "NOT_FOUND", registry);
        for (int i = 0; i < 100; i++) {
            time("GET", "/x/%zz" + i, registry);
            time("M" + i, "/example", registry);
        }

        Set<String> series = registry.find(HttpServerTagLimits.HTTP_SERVER_REQUESTS).timers().stream()
                .map(timer -> timer.getId().getTag("method") + " " + timer.getId().getTag("uri"))
                .collect(Collectors.toSet());
        assertEquals(Set.of("GET /example", "GET NOT_FOUND", "GET UNKNOWN", "OTHER /example"), series);
    }

    @Test
    void healthProbesAreNotRecordedButEverythingElseIs() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new HttpServerTagLimits().boundHttpServerTags());

        for (String probe : new String[] { "/live", "/ready", "/started", "/health", "/health/group/x" }) {
            time("GET", probe, registry);
        }
        time("GET", "/example", registry);
        time("GET", "/lively", registry);

        Set<String> uris = registry.find(HttpServerTagLimits.HTTP_SERVER_REQUESTS).timers().stream()
                .map(timer -> timer.getId().getTag("uri")).collect(Collectors.toSet());
        assertEquals(Set.of("/example", "UNKNOWN"), uris);
    }

    @Test
    void otherMetersAreLeftAlone() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new HttpServerTagLimits().boundHttpServerTags());
        Meter meter = Timer.builder("http.client.requests").tag("uri", "/x/1").tag("method", "FOO").register(registry);
        assertEquals("/x/1", meter.getId().getTag("uri"));
        assertEquals("FOO", meter.getId().getTag("method"));
    }

    private static void time(String method, String uri, SimpleMeterRegistry registry) {
        Timer.builder(HttpServerTagLimits.HTTP_SERVER_REQUESTS)
                .tag("method", method).tag("uri", uri).tag("status", "400").tag("outcome", "CLIENT_ERROR")
                .register(registry).record(Duration.ofMillis(1));
    }
}
