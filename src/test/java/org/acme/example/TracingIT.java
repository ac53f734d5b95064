package org.acme.example;

import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * Tracing is off by default (its cost per request, see the README), and one setting turns it on. On, spans leave the
 * service only for a configured OTLP endpoint: without one, Quarkus would send them to localhost:4317 and log a
 * warning for every failed export; the service sends nothing and logs nothing about it.
 */
class TracingIT {

    /** Where Quarkus' OTLP exporter sends by default. */
    private static final int DEFAULT_OTLP_PORT = 4317;
    /** More than a batch of spans (512) at 2 spans a request, and more than the exporter's 5-second schedule. */
    private static final int REQUESTS = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String TRACING_ON = "QUARKUS_OTEL_SDK_DISABLED";
    /** What an HTTP/2 client sends first, and so the gRPC exporter on a new connection. */
    private static final String HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    /** Artifacts (as Quarkus names the jars in lib/main) that tracing as the service uses it does not need. */
    private static final List<String> NOT_SHIPPED = List.of("com.google.protobuf.", "com.google.api.grpc.",
            "io.grpc.grpc-core-", "io.grpc.grpc-netty-", "io.grpc.grpc-protobuf", "io.quarkus.quarkus-grpc-common-",
            "io.vertx.vertx-grpc-server-", "io.vertx.vertx-grpc-4");
    /** What Prometheus 2.x asks for: OpenMetrics, the format that carries exemplars. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    @Test
    void offByDefault_noExemplarsAndNoTraceIdsInTheLog() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_TRAFFIC_RATE", "100", "EXAMPLE_FAILURE_RATE", "1"))) {
            Poll.until("200 requests answered", TIMEOUT, () -> answered(app) >= 200 ? true : null,
                    () -> "answered: " + answered(app));
            String scrape = openMetrics(app);
            assertTrue(scrape.contains("http_server_requests_seconds_bucket{"), scrape);
            assertFalse(scrape.contains("trace_id"), "exemplars while tracing is off:\n" + scrape);
            List<String> failures = app.output().lines().filter(line -> line.contains("with a simulated failure (500)"))
                    .toList();
            assertFalse(failures.isEmpty(), "no simulated failure logged:\n" + app.output());
            assertTrue(failures.stream().allMatch(line -> line.contains("\"mdc\":{}")), failures.get(0));
        }
    }

    @Test
    void onTheLatencyBucketsCarryExemplars() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of(TRACING_ON, "false", "EXAMPLE_TRAFFIC_RATE", "100"))) {
            Poll.until("200 requests answered", TIMEOUT, () -> answered(app) >= 200 ? true : null,
                    () -> "answered: " + answered(app));
            String scrape = openMetrics(app);
            assertTrue(scrape.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_bucket{")
                    && line.contains("uri=\"/example\"") && line.matches(".* # \\{.*trace_id=\"[0-9a-f]{32}\".*")),
                    scrape);
            assertFalse(scrape.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_count{")
                    && line.contains(" # {")), "an exemplar on _count, which Prometheus before 2.43 rejects");
        }
    }

    @Test
    void withoutAnEndpointNothingIsSentAndNothingIsLoggedAboutIt() throws IOException {
        try (ServerSocket defaultCollector = listenOnDefaultPort();
                // No simulated failures: their log line is a WARN of its own.
                PackagedApp app = PackagedApp.start(Map.of(TRACING_ON, "false", "EXAMPLE_TRAFFIC_RATE", "200",
                        "EXAMPLE_FAILURE_RATE", "0"))) {
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
        try (PackagedApp app = PackagedApp.start(Map.of(TRACING_ON, "false", "EXAMPLE_TRAFFIC_RATE", "50",
                "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort(),
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf"))) {
            String export = Poll.until("spans exported to the configured endpoint", TIMEOUT,
                    () -> received.isEmpty() ? null : received.get(0), app::output);
            assertTrue(export.startsWith("POST application/x-protobuf ") && !export.endsWith(" 0 bytes"), export);
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void withAnEndpointAndTheDefaultProtocolSpansGoOutOverGrpc() throws IOException {
        try (ServerSocket collector = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                PackagedApp app = PackagedApp.start(Map.of(TRACING_ON, "false", "EXAMPLE_TRAFFIC_RATE", "50",
                        "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getLocalPort()))) {
            collector.setSoTimeout((int) TIMEOUT.toMillis());
            try (Socket exporter = collector.accept()) {
                exporter.setSoTimeout((int) TIMEOUT.toMillis());
                byte[] preface = exporter.getInputStream().readNBytes(HTTP2_PREFACE.length());
                assertEquals(HTTP2_PREFACE, new String(preface, StandardCharsets.ISO_8859_1), app.output());
            }
            assertFalse(app.output().contains("NoClassDefFoundError"), app.output());
        }
    }

    /**
     * Both protocols go through Vert.x's own clients, which need no protobuf-java and no grpc-java transport: the
     * package leaves out what quarkus-opentelemetry brings for services that serve gRPC (pom.xml), and with it the
     * build step that put every protobuf message class into the native executable for reflection.
     */
    @Test
    void thePackageCarriesNoProtobufAndNoGrpcServerSide() throws IOException {
        Assumptions.assumeFalse(PackagedApp.isNative(), "the jar's libraries are the native build's classpath too");
        Path libraries = PackagedApp.JAR.resolveSibling("lib").resolve("main");
        try (Stream<Path> jars = Files.list(libraries)) {
            List<String> dead = jars.map(jar -> jar.getFileName().toString())
                    .filter(name -> NOT_SHIPPED.stream().anyMatch(name::startsWith)).sorted().toList();
            assertEquals(List.of(), dead, "in " + libraries);
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

    private static String openMetrics(PackagedApp app) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(app.managementUrl() + "/metrics")).header("Accept", PROMETHEUS_ACCEPT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"),
                response.headers().toString());
        return response.body();
    }

    private static double answered(PackagedApp app) {
        return ScrapedMetrics.scrape(app).value("example_traffic_requests_total", Map.of("result", "answered"));
    }
}
