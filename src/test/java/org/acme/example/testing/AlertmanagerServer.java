package org.acme.example.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.restassured.path.json.JsonPath;

/**
 * A real Alertmanager (Debian package {@code prometheus-alertmanager}, whose binary bears that name) on a free loopback
 * port, alone (no cluster port), with its data and log in the directory given; closing it sends SIGTERM and waits.
 */
public final class AlertmanagerServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AlertmanagerServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static AlertmanagerServer start(Path dir, Path config) throws IOException {
        Path alertmanager = ExternalTool.require("prometheus-alertmanager", "prometheus-alertmanager");
        Files.createDirectories(dir);
        int port = PackagedApp.freePort();
        Path log = dir.resolve("alertmanager.log");
        Process process = new ProcessBuilder(List.of(alertmanager.toString(),
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address="))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        AlertmanagerServer server = new AlertmanagerServer(process, log, port);
        try {
            server.awaitReady();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("alertmanager exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address() + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build();
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Poll.pause();
        }
        throw new IllegalStateException("alertmanager was not ready within " + START_TIMEOUT + ":\n" + log());
    }

    /** The alerts it holds, with their state (active, suppressed) and what inhibits them: /api/v2/alerts. */
    public List<Map<String, Object>> alerts() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address() + "/api/v2/alerts"))
                    .timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET /api/v2/alerts: " + response.statusCode() + " " + response.body());
            }
            return JsonPath.from(response.body()).getList("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** host:port, as Prometheus' alerting configuration wants it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public String log() {
        return Processes.read(log);
    }

    @Override
    public void close() {
        Processes.stop(process, STOP_TIMEOUT);
    }
}
