package org.acme.example;

import org.acme.example.testing.LeasedFile;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.path.json.JsonPath;

/**
 * A fault file that is not a regular file, or whose read blocks, on one packaged instance: the path is a symbolic link
 * swapped atomically from one target to the next, as the kubelet swaps a ConfigMap volume's {@code ..data}. A FIFO,
 * a directory or a device is refused without being opened; a read that blocks (a file under a lease, which no other
 * process can open: a stand-in for a hung network mount) is abandoned after {@code example.fault.file-read-timeout};
 * each time the file is invalid, with a WARN, until a valid file is put in place, which is applied while the blocked
 * read still hangs; and SIGTERM ends the process while a read hangs. Before (2026-12-04), a FIFO hung the watcher
 * for ever without a word, with {@code example_fault_file_valid} at 1, and kept the process from exiting after SIGTERM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlockingFaultFileIT {

    /** The file is read once a second; a busy machine may add a few seconds. */
    static final Duration CONVERGE = Duration.ofSeconds(15);
    static final String READ_TIMEOUT = "1s";
    static final String ABANDONED = "could not be read within " + READ_TIMEOUT
            + " (example.fault.file-read-timeout): the read was abandoned";
    /** The reading threads' name, as Linux shows it (15 characters). */
    static final String READER = "fault-file-read";

    @TempDir
    static Path dir;
    static Path link;
    static PackagedApp app;
    static int files;

    @BeforeAll
    static void start() throws IOException {
        link = dir.resolve("fault.json");
        point(file("{\"failureRate\": 0.5}"));
        app = PackagedApp.start(Map.of("EXAMPLE_FAULT_FILE", link.toString(),
                "EXAMPLE_FAULT_FILE_READ_TIMEOUT", READ_TIMEOUT));
        assertEquals(0.5f, state().getFloat("failureRate"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void aFifoADirectoryOrADeviceIsRefusedWithoutBeingOpened() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        refused(fifo, "is not a regular file but a FIFO, a socket or a device: not read");
        applied("{\"failureRate\": 0.3}", 0.3f);

        Path directory = Files.createDirectory(dir.resolve("directory"));
        refused(directory, "is not a regular file but a directory: not read");
        refused(Path.of("/dev/zero"), "is not a regular file but a FIFO, a socket or a device: not read");
        applied("{\"failureRate\": 0.4}", 0.4f);
    }

    @Test
    @Order(2)
    void aReadThatBlocksIsAbandonedAndALaterFileApplied() throws Exception {
        Path blocking = file("{\"failureRate\": 0.9}");
        try (LeasedFile lease = LeasedFile.hold(blocking)) {
            refused(blocking, ABANDONED);
            // Another file in place, while the abandoned read still blocks.
            applied("{\"failureRate\": 0.2}", 0.2f);
            assertTrue(!threads(READER).isEmpty(), "the abandoned read should still block");

            // Reads that would block, for several seconds: a few threads are left blocked, not one more each second,
            // and the WARN is not repeated.
            int logFrom = app.output().length();
            refused(blocking, ABANDONED);
            Thread.sleep(6_000);
            List<String> readers = threads(READER);
            assertTrue(readers.size() <= 4, () -> "threads reading the fault file: " + readers);
            String log = app.output().substring(logFrom);
            assertEquals(1, log.lines().filter(line -> line.contains("WARN") && line.contains(ABANDONED)).count(),
                    () -> "logged once:\n" + log);
            assertEquals(0.2f, state().getFloat("failureRate"), "nothing changed");
        }
        applied("{\"failureRate\": 0.25}", 0.25f);
        System.out.println("BlockingFaultFileIT: threads reading the fault file after the lease: " + threads(READER));
    }

    @Test
    @Order(3)
    void sigtermEndsTheProcessWhileAReadHangs() throws Exception {
        GracefulShutdownIT.readShutdownSettings();
        Path blocking = file("{\"failureRate\": 0.8}");
        try (LeasedFile lease = LeasedFile.hold(blocking)) {
            refused(blocking, ABANDONED);
            long sigterm = System.nanoTime();
            app.process().destroy(); // SIGTERM
            // No shutdown delay here (PackagedApp): the process has the shutdown timeout, and the JVM's exit.
            Duration grace = GracefulShutdownIT.timeout.plus(GracefulShutdownIT.EXIT_MARGIN);
            int exitCode = app.awaitExit(grace);
            System.out.printf("BlockingFaultFileIT: exit %d %d ms after SIGTERM, while a read of the fault file hung%n",
                    exitCode, (System.nanoTime() - sigterm) / 1_000_000);
            assertTrue(List.of(0, 143).contains(exitCode), "exit code " + exitCode);
        }
    }

    /** The link points at {@code target}: the file is invalid, says why, and the baseline stays as it was. */
    private static void refused(Path target, String reason) throws IOException {
        float before = state().getFloat("failureRate");
        point(target);
        JsonPath state = Poll.until("the fault file refused: " + target, CONVERGE, () -> {
            JsonPath now = state();
            return reason.equals(now.getString("file.error")) ? now : null;
        }, () -> state().prettify() + "\n" + app.output());
        assertEquals(false, state.getBoolean("file.valid"));
        assertEquals(before, state.getFloat("failureRate"), "nothing changed");
        assertEquals(0.0, ScrapedMetrics.scrape(app).require("example_fault_file_valid"));
        assertTrue(app.output().lines().anyMatch(line -> line.contains("WARN") && line.contains(link.toString())
                && line.contains(reason)), app::output);
    }

    /** The link points at a new regular file with {@code content}: it is applied. */
    private static void applied(String content, float failureRate) throws IOException {
        point(file(content));
        Poll.until("the fault file applied: " + content, CONVERGE,
                () -> state().getBoolean("file.valid") && state().getFloat("baseline.failureRate") == failureRate
                        ? true : null,
                () -> state().prettify() + "\n" + app.output());
        assertEquals(1.0, ScrapedMetrics.scrape(app).require("example_fault_file_valid"));
    }

    private static Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("fault-" + ++files + ".json"), content);
    }

    /** Swaps the link to {@code target} in one step. */
    private static void point(Path target) throws IOException {
        Path next = dir.resolve("next-link");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, target);
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The names of the service's threads whose name starts with {@code prefix} (Linux shows 15 characters). */
    private static List<String> threads(String prefix) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(app.pid()), "task"))) {
            return tasks.map(task -> {
                try {
                    return Files.readString(task.resolve("comm")).trim();
                } catch (IOException e) {
                    return ""; // ended meanwhile
                }
            }).filter(name -> name.startsWith(prefix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonPath state() {
        return given().get(app.managementUrl() + "/fault").then().statusCode(200).extract().jsonPath();
    }
}
