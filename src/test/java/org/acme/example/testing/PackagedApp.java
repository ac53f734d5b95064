package org.acme.example.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service started as a real process on free ports, as an operator would start it: the jar
 * ({@code java -jar target/quarkus-app/quarkus-run.jar}), or the native executable when the build is native
 * ({@code -Dnative} sets {@code packaged.kind=native}), with the memory settings the images ship
 * ({@link ProductionOptions}). Closing it sends SIGTERM and waits; it is killed if it
 * does not stop in time.
 */
public final class PackagedApp implements AutoCloseable {

    /** Maven passes the jar of the current build (target/aot/... with the aot profile); IDEs get the default. */
    public static final Path JAR = Path.of(System.getProperty("packaged-app.jar", "target/quarkus-app/quarkus-run.jar"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Tests stop the service without the production shutdown delay (readiness DOWN for a few seconds before the
     * port closes), which would only slow every test down; a test that wants it sets this variable itself.
     */
    public static final String SHUTDOWN_DELAY_ENV = "QUARKUS_SHUTDOWN_DELAY";

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final int managementPort;

    private PackagedApp(Process process, Path log, int httpPort, int managementPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /** Starts the jar with extra environment variables, without waiting for it to be ready. */
    public static PackagedApp launch(Map<String, String> env) {
        return launch(env, command());
    }

    /** The same inside a memory cgroup: the process and nothing else is charged to it from its start. */
    public static PackagedApp launch(Map<String, String> env, MemoryCgroup cgroup) {
        return launch(env, cgroup.wrap(command()));
    }

    private static PackagedApp launch(Map<String, String> env, List<String> command) {
        try {
            int httpPort = freePort();
            int managementPort = freePort();
            while (managementPort == httpPort) { // the system may hand out a port just given back
                managementPort = freePort();
            }
            Path log = Files.createTempFile("packaged-app-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
            builder.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            builder.environment().put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            builder.environment().put(SHUTDOWN_DELAY_ENV, "0s");
            builder.environment().putAll(env);
            return new PackagedApp(builder.start(), log, httpPort, managementPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the tests run against the native executable: the build's failsafe configuration says so
     * ({@code packaged.kind}, which the native profile sets), for tests whose expectations differ by packaging.
     */
    public static boolean isNative() {
        return "native".equals(System.getProperty("packaged.kind"));
    }

    private static List<String> command() {
        List<String> command = new ArrayList<>();
        if (isNative()) {
            Path executable = Path.of(System.getProperty("native.image.path"));
            if (!Files.isExecutable(executable)) {
                throw new IllegalStateException(executable + " is missing: build with ./mvnw verify -Dnative");
            }
            command.add(executable.toString());
            command.addAll(ProductionOptions.nativeExecutable());
            return command;
        }
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the package phase first (./mvnw verify)");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ProductionOptions.jvm());
        command.add("-jar");
        command.add(JAR.toString());
        return command;
    }

    /** Starts the service and waits until {@code /live} answers 200. */
    public static PackagedApp start(Map<String, String> env) {
        return whenLive(launch(env));
    }

    /** Starts the service inside a memory cgroup and waits until {@code /live} answers 200. */
    public static PackagedApp start(Map<String, String> env, MemoryCgroup cgroup) {
        return whenLive(launch(env, cgroup));
    }

    private static PackagedApp whenLive(PackagedApp app) {
        try {
            app.awaitLive();
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    private void awaitLive() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/live"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(Duration.ofMillis(50));
        }
        throw new IllegalStateException("the service did not become live within " + START_TIMEOUT + ":\n" + output());
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the service was still running after " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int managementPort() {
        return managementPort;
    }

    public long pid() {
        return process.pid();
    }

    /** The most memory the process has had resident so far (VmHWM), in bytes. */
    public long peakRssBytes() {
        return Processes.statusKilobytes(process.pid(), "VmHWM") * 1024;
    }

    /** The memory the process has resident now (VmRSS), in bytes. */
    public long rssBytes() {
        return Processes.statusKilobytes(process.pid(), "VmRSS") * 1024;
    }

    public Process process() {
        return process;
    }

    /** Everything the process printed so far (stdout and stderr). */
    public String output() {
        return Processes.read(log);
    }

    @Override
    public void close() {
        Processes.stop(process, STOP_TIMEOUT);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temporary file; nothing to do
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
