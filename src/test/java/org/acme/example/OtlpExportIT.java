package org.acme.example;

import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * Spans leave the service only for a configured OTLP endpoint. Without one, Quarkus would send them to
 * localhost:4317 and log a warning for every failed export; the service sends nothing and logs nothing about it.
 */
class OtlpExportIT {

    /** Where Quarkus' OTLP exporter sends by default. */
    private static final int DEFAULT_OTLP_PORT = 4317;
    /** More than a batch of spans (512) at 2 spans a request, and more than the exporter's 5-second schedule. */
    private static final int REQUESTS = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void withoutAnEndpointNothingIsSentAndNothingIsLoggedAboutIt() throws IOException {
        try (ServerSocket defaultCollector = listenOnDefaultPort();
                PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_TRAFFIC_RATE", "200"))) {
            Poll.until(REQUESTS + " requests answered", TIMEOUT, () -> answered(app) >= REQUESTS ? true : null,
                    () -> "answered: " + answered(app));

            defaultCollector.setSoTimeout(1000);
            try (Socket connection = defaultCollector.accept()) {
                throw new AssertionError("the service connected to the default OTLP port: " + connection);
            } catch (SocketTimeoutException expected) {
                // nothing connected
            }
            List<String> warnings = app.output().lines()
                    .filter(line -> line.matches(".*\"level\":\"(WARN|WARNING|ERROR|SEVERE)\".*")).toList();
            assertEquals(List.of(), warnings);
        }
    }

    @Test
    void withAnEndpointSpansAreExportedThere() throws IOException {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                received.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type")
                        + " " + body.readAllBytes().length + " bytes");
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_TRAFFIC_RATE", "50",
                "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort(),
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf"))) {
            String export = Poll.until("spans exported to the configured endpoint", TIMEOUT,
                    () -> received.isEmpty() ? null : received.get(0), app::output);
            assertTrue(export.startsWith("POST application/x-protobuf ") && !export.endsWith(" 0 bytes"), export);
        } finally {
            collector.stop(0);
        }
    }

    /** Quarkus' default collector address, held by the test so that a connection to it would be seen. */
    private static ServerSocket listenOnDefaultPort() throws IOException {
        try {
            return new ServerSocket(DEFAULT_OTLP_PORT);
        } catch (BindException e) {
            Assumptions.assumeTrue(false, "port " + DEFAULT_OTLP_PORT + " is in use here: " + e.getMessage());
            throw e;
        }
    }

    private static double answered(PackagedApp app) {
        return ScrapedMetrics.scrape(app).value("example_traffic_requests_total", Map.of("result", "answered"));
    }
}
