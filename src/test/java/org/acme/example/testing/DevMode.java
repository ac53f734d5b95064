package org.acme.example.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * {@code ./mvnw quarkus:dev} as a developer runs it, in a copy of the project (so that its sources can be edited),
 * on free ports: keys are typed on its console (the basic console, which reads lines from standard input, as no
 * terminal is attached), and everything it prints goes to a log that the test reads. Closing it types {@code q},
 * and kills what is left after a while.
 */
public final class DevMode implements AutoCloseable {

    /** The first start compiles the project and may download the dev-mode artifacts. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> COPIED = List.of("pom.xml", "mvnw", ".mvn", "src");

    private final Path project;
    private final Process process;
    private final OutputStream console;
    private final Path log;
    private final int httpPort;
    private final int managementPort;

    private DevMode(Path project, Process process, Path log, int httpPort, int managementPort) {
        this.project = project;
        this.process = process;
        this.console = process.getOutputStream();
        this.log = log;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /** Copies the project and starts dev mode in the copy with the given {@code -D} settings; waits for /live. */
    public static DevMode start(List<String> settings) throws IOException {
        Path project = Files.createTempDirectory("dev-mode-");
        for (String name : COPIED) {
            copy(Path.of(name), project.resolve(name));
        }
        int httpPort = PackagedApp.freePort();
        int managementPort = PackagedApp.freePort();
        while (managementPort == httpPort) {
            managementPort = PackagedApp.freePort();
        }
        List<String> command = new ArrayList<>(List.of(project.resolve("mvnw").toString(), "-B", "quarkus:dev",
                "-Ddebug=false", "-Dquarkus.analytics.disabled=true", "-Dquarkus.console.basic=true",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort, "-Dquarkus.management.port=" + managementPort));
        command.addAll(settings);
        Path log = Files.createTempFile("dev-mode-", ".log");
        Process process = new ProcessBuilder(command).directory(project.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DevMode dev = new DevMode(project, process, log, httpPort, managementPort);
        try {
            dev.awaitLog("Live Coding activated", 0, START_TIMEOUT);
            return dev;
        } catch (RuntimeException | Error e) {
            dev.close();
            throw e;
        }
    }

    /** Types a key and Enter on the dev-mode console. */
    public void type(String key) {
        try {
            console.write((key + "\n").getBytes(StandardCharsets.UTF_8));
            console.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites a file of the copy, relative to its root (say {@code src/main/resources/application.properties}). */
    public void edit(String file, UnaryOperator<String> change) {
        Path path = project.resolve(file);
        try {
            String before = Files.readString(path);
            String after = change.apply(before);
            if (after.equals(before)) {
                throw new IllegalArgumentException("the edit changes nothing in " + file);
            }
            Files.writeString(path, after);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log's length so far: where to look for what comes next. */
    public int mark() {
        return output().length();
    }

    /** Waits until the log has {@code text} after {@code from}; returns the position just past it. */
    public int awaitLog(String text, int from, Duration timeout) {
        return Poll.until("'" + text + "' in the dev-mode log", timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("dev mode exited with " + process.exitValue() + ":\n" + output());
            }
            int at = output().indexOf(text, from);
            return at < 0 ? null : at + text.length();
        }, this::output);
    }

    /** The log from {@code from} on. */
    public String outputSince(int from) {
        String output = output();
        return output.substring(Math.min(from, output.length()));
    }

    public String output() {
        return Processes.read(log);
    }

    public int httpPort() {
        return httpPort;
    }

    public int managementPort() {
        return managementPort;
    }

    public Path project() {
        return project;
    }

    @Override
    public void close() {
        // dev mode runs the application in a JVM of its own, which must not outlive the test
        List<ProcessHandle> children = process.descendants().toList();
        try {
            if (process.isAlive()) {
                type("q");
            }
        } catch (UncheckedIOException e) {
            // the console is gone already
        }
        try {
            if (!process.waitFor(QUIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(QUIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        delete(project);
        delete(log);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (path.toString().contains("node_modules")) {
                    continue;
                }
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void delete(Path path) {
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary file or folder; nothing to do
        }
    }
}
