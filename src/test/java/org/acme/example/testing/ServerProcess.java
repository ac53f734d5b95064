package org.acme.example.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.restassured.path.json.JsonPath;

/**
 * A server the tests start from a Debian package (Prometheus, Alertmanager): its process on a loopback port, its log in
 * a file, ready once {@code /-/ready} answers 200. Closing it sends SIGTERM and waits.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServerProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Runs {@code command}, which must listen on 127.0.0.1:{@code port}, and waits until it is ready. */
    static ServerProcess start(String name, List<String> command, Path log, int port) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServerProcess server = new ServerProcess(name, process, log, port);
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
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Poll.pause();
        }
        throw new IllegalStateException(name + " was not ready within " + START_TIMEOUT + ":\n" + log());
    }

    /** GET {@code pathAndQuery}, which must answer 200 with JSON. */
    JsonPath api(String pathAndQuery) {
        try {
            HttpResponse<String> response = get(pathAndQuery);
            if (response.statusCode() != 200) {
                throw new AssertionError(name + ": GET " + pathAndQuery + ": " + response.statusCode() + " " + response.body());
            }
            return JsonPath.from(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Everything it logged so far. */
    String log() {
        return Processes.read(log);
    }

    @Override
    public void close() {
        Processes.stop(process, STOP_TIMEOUT);
    }
}
