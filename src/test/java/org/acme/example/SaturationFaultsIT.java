package org.acme.example;

import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The saturation faults on the packaged jar, each measured from outside the process: its CPU time in /proc, its RSS,
 * requests held and connections reset as a client sees them, its exit code; and each one's end.
 */
class SaturationFaultsIT {

    private static final String PASSWORD = "open-sesame";
    private static final long MIB = 1024 * 1024;
    /** /proc/PID/stat counts CPU time in clock ticks: 100 a second on Linux. */
    private static final double TICKS_PER_SECOND = 100;

    @Test
    void cpuBurnKeepsACoreBusyWhileRequestsStayFastAndEndsWithItsTime() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            long calm = medianRequestMillis(app);
            change(open(), app, "{\"cpuBurnCores\": 1, \"for\": \"15s\"}").then().statusCode(200);
            assertEquals(1.0, ScrapedMetrics.scrape(app).require("example_fault_cpu_burn_cores"));
            double[] busyAndReference = coresUsedBesideASpinner(app, Duration.ofSeconds(3));
            double busy = busyAndReference[0];
            double reference = busyAndReference[1];
            long burning = medianRequestMillis(app);
            System.out.printf("1 core burned: %.2f cores used by the process, %.2f by a spinning thread of the test at"
                    + " the same time; median request %d ms before, %d ms while burning%n", busy, reference, calm,
                    burning);
            // Bound: the burn gets at least 60 % of what a thread spinning in the test at the same time gets. A share
            // of the spinner, not of a core: on a shared machine (other builds, other tests) neither gets a whole one.
            assertTrue(busy >= 0.6 * reference, "cores used while burning 1: " + busy + ", the spinner's: " + reference);
            // Bound: the other core serves requests: the median stays within 3 times the calm one plus 100 ms (a
            // starved event loop would wait out whole scheduler slices behind the burner).
            assertTrue(burning <= 3 * calm + 100, "median request while burning 1 core of 2: " + burning + " ms, before: "
                    + calm + " ms");

            await("the burn to end", Duration.ofSeconds(60),
                    () -> ScrapedMetrics.scrape(app).require("example_fault_cpu_burn_cores") == 0.0);
            double[] after = coresUsedBesideASpinner(app, Duration.ofSeconds(2));
            System.out.printf("after the burn: %.2f cores, the spinner %.2f%n", after[0], after[1]);
            // Bound: back under a third of what the burn used (an idle JVM's scrapes and timers use a little).
            assertTrue(after[0] < busy / 3, "cores used after the burn ended: " + after[0] + ", while burning: " + busy);
        }
    }

    @Test
    void memoryGrowsToItsTargetAndIsFreedAtDelete() {
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            long before = app.rssBytes();
            change(open(), app, "{\"memoryTarget\": \"192MiB\", \"memoryRate\": \"256MiB/s\"}").then().statusCode(200);
            await("192 MiB held", Duration.ofSeconds(20),
                    () -> ScrapedMetrics.scrape(app).require("example_fault_memory_held_bytes") == 192.0 * MIB);
            long grown = app.rssBytes();
            given().delete(app.managementUrl() + "/fault").then().statusCode(200);
            await("the memory freed", Duration.ofSeconds(10),
                    () -> ScrapedMetrics.scrape(app).require("example_fault_memory_held_bytes") == 0.0);
            long freed = app.rssBytes();
            System.out.printf("RSS %d MiB before, %d MiB holding 192 MiB, %d MiB after DELETE%n", before / MIB,
                    grown / MIB, freed / MIB);
            assertTrue(grown - before >= 180 * MIB, "RSS grew by " + (grown - before) / MIB + " MiB");
            assertTrue(grown - freed >= 180 * MIB, "RSS fell by " + (grown - freed) / MIB + " MiB");
        }
    }

    @Test
    void hungRequestsAreHeldUpToTheBoundAndAnsweredWhenTheFaultEnds() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            change(open(), app, "{\"hangRate\": 1, \"for\": \"20s\"}").then().statusCode(200);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                requests.add(client.sendAsync(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/example")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            await("256 requests held", Duration.ofSeconds(15),
                    () -> ScrapedMetrics.scrape(app).require("example_requests_hung") == 256.0);
            await("the 44 beyond the bound answered", Duration.ofSeconds(15),
                    () -> requests.stream().filter(CompletableFuture::isDone).count() == 44);
            Thread.sleep(500);
            assertEquals(44, requests.stream().filter(CompletableFuture::isDone).count(), "answered beyond the bound");

            given().delete(app.managementUrl() + "/fault").then().statusCode(200);
            CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
            assertEquals(0.0, ScrapedMetrics.scrape(app).require("example_requests_hung"));
        }
    }

    @Test
    void resetConnectionsAreSeenByTheClient() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            change(open(), app, "{\"resetRate\": 1, \"for\": \"30s\"}").then().statusCode(200);
            for (int i = 0; i < 3; i++) {
                SocketException reset = assertThrows(SocketException.class, () -> rawGet(app));
                assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
            }
            ScrapedMetrics scrape = ScrapedMetrics.scrape(app);
            assertEquals(3.0, scrape.require("example_requests_reset_total"));
            // What the connection-resets scenario's promtool cases feed: a client's error, not a 5xx of the SLO.
            assertEquals(3.0, scrape.require("http_server_requests_seconds_count{method=\"GET\",outcome=\"CLIENT_ERROR\","
                    + "status=\"RESET\",uri=\"/example\"}"));
            given().delete(app.managementUrl() + "/fault").then().statusCode(200);
            assertTrue(rawGet(app).startsWith("HTTP/1.1 "), "answered after the fault ended");
        }
    }

    /** Without the operator password, the faults that end or starve the process are refused, however they are set. */
    @Test
    void withoutThePasswordTheDangerousFaultsAreRefusedThroughEveryWay(@TempDir Path dir) throws IOException {
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            // The main port has no fault control at all.
            given().contentType(ContentType.JSON).body("{\"cpuBurnCores\": 1}").put(app.baseUrl() + "/fault")
                    .then().statusCode(404);
            for (String body : List.of("{\"crashAfter\": \"1s\"}", "{\"cpuBurnCores\": 2}",
                    "{\"memoryTarget\": \"64MiB\", \"allowOomKill\": true}")) {
                change(open(), app, body).then().statusCode(400)
                        .body("error", containsString("only with the operator password set"));
                given().contentType(ContentType.JSON).body("{\"steps\": [{\"for\": \"10s\", " + body.substring(1) + "]}")
                        .put(app.managementUrl() + "/fault/scenario").then().statusCode(400)
                        .body("error", containsString("only with the operator password set"));
            }
            // Bounds that even the password does not lift.
            change(open(), app, "{\"cpuBurnCores\": 3}").then().statusCode(400)
                    .body("error", containsString("available processors"));
            change(open(), app, "{\"hangRate\": 1.5}").then().statusCode(400);
            change(open(), app, "{\"memoryTarget\": \"64PiB\"}").then().statusCode(400);
            assertEquals(0.0, ScrapedMetrics.scrape(app).require("example_fault_cpu_burn_cores"));
            assertEquals(-1.0, ScrapedMetrics.scrape(app).require("example_fault_crash_remaining_seconds"));
        }
        Path file = dir.resolve("fault.json");
        Files.writeString(file, "{\"crashAfter\": \"1s\"}");
        PackagedApp refused = PackagedApp.launch(Map.of("EXAMPLE_FAULT_FILE", file.toString()));
        assertNotEquals(0, refused.awaitExit(Duration.ofSeconds(60)));
        assertTrue(refused.output().contains("only with the operator password set"), refused.output());
        refused.close();
        PackagedApp configured = PackagedApp.launch(Map.of("EXAMPLE_CRASH_AFTER", "1s"));
        assertEquals(1, configured.awaitExit(Duration.ofSeconds(60)));
        assertTrue(configured.output().contains("only with the operator password set"), configured.output());
        configured.close();
    }

    @Test
    void withThePasswordACrashEndsTheProcessWithItsCodeAfterSayingSo() {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAULT_CONTROL_PASSWORD", PASSWORD))) {
            change(open(), app, "{\"crashAfter\": \"1s\"}").then().statusCode(401);
            change(operator(), app, "{\"crashAfter\": \"2s\", \"crashExitCode\": 7}").then().statusCode(200);
            assertEquals(7, app.awaitExit(Duration.ofSeconds(30)));
            assertTrue(app.output().contains("Deliberate crash scheduled by"), app.output());
            assertTrue(app.output().contains("exiting with code 7 now"), app.output());
        }
    }

    /**
     * The two sources a pod reads again at every start, so that each restart crashes again (ExampleRestarting): the
     * configuration, and the fault file (a ConfigMap outlives the pod).
     */
    @Test
    void aCrashSetAtStartUpMakesACrashLoop(@TempDir Path dir) throws IOException {
        PackagedApp app = PackagedApp.launch(Map.of("EXAMPLE_FAULT_CONTROL_PASSWORD", PASSWORD,
                "EXAMPLE_CRASH_AFTER", "2s", "EXAMPLE_CRASH_EXIT_CODE", "3"));
        try {
            assertEquals(3, app.awaitExit(Duration.ofSeconds(60)));
            assertTrue(app.output().contains("exiting with code 3 now"), app.output());
        } finally {
            app.close();
        }
        Path file = dir.resolve("fault.json");
        Files.writeString(file, "{\"crashAfter\": \"1s\", \"crashExitCode\": 4}");
        PackagedApp fromTheFile = PackagedApp.launch(Map.of("EXAMPLE_FAULT_CONTROL_PASSWORD", PASSWORD,
                "EXAMPLE_FAULT_FILE", file.toString()));
        try {
            assertEquals(4, fromTheFile.awaitExit(Duration.ofSeconds(60)), fromTheFile.output());
            assertTrue(fromTheFile.output().contains("exiting with code 4 now"), fromTheFile.output());
        } finally {
            fromTheFile.close();
        }
    }

    @Test
    void aCrashIsCancelledWhenItsSettingEndsFirst() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("EXAMPLE_FAULT_CONTROL_PASSWORD", PASSWORD))) {
            change(operator(), app, "{\"crashAfter\": \"3s\"}").then().statusCode(200);
            assertTrue(ScrapedMetrics.scrape(app).require("example_fault_crash_remaining_seconds") > 0);
            given().auth().preemptive().basic("operator", PASSWORD).delete(app.managementUrl() + "/fault")
                    .then().statusCode(200);
            Thread.sleep(4000);
            assertTrue(app.process().isAlive(), "the process still runs after the crash was cancelled");
            assertEquals(-1.0, ScrapedMetrics.scrape(app).require("example_fault_crash_remaining_seconds"));
        }
    }

    private static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        Poll.until(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null, () -> "");
    }

    private static RequestSpecification open() {
        return given();
    }

    private static RequestSpecification operator() {
        return given().auth().preemptive().basic("operator", PASSWORD);
    }

    private static io.restassured.response.Response change(RequestSpecification request, PackagedApp app, String body) {
        return request.contentType(ContentType.JSON).body(body).put(app.managementUrl() + "/fault");
    }

    /** The median time of 21 requests to /example, one after the other. */
    private static long medianRequestMillis(PackagedApp app) {
        long[] millis = new long[21];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            given().get(app.baseUrl() + "/example").then().statusCode(org.hamcrest.Matchers.anyOf(
                    org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(500)));
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        java.util.Arrays.sort(millis);
        return millis[millis.length / 2];
    }

    /** One GET /example on its own connection; the raw answer. */
    private static String rawGet(PackagedApp app) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", app.httpPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /example HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /**
     * The process's CPU time over {@code window}, in cores, and that of a thread spinning in the test meanwhile: what
     * one busy thread can get on this machine now.
     */
    private static double[] coresUsedBesideASpinner(PackagedApp app, Duration window) throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean spinning = new java.util.concurrent.atomic.AtomicBoolean(true);
        long[] spinnerNanos = new long[1];
        Thread spinner = new Thread(() -> {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long start = threads.getCurrentThreadCpuTime();
            while (spinning.get()) {
                Thread.onSpinWait();
            }
            spinnerNanos[0] = threads.getCurrentThreadCpuTime() - start;
        }, "reference-spinner");
        long start = cpuTicks(app.pid());
        long startNanos = System.nanoTime();
        spinner.start();
        Thread.sleep(window.toMillis());
        spinning.set(false);
        spinner.join();
        long ticks = cpuTicks(app.pid()) - start;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new double[] { ticks / TICKS_PER_SECOND / seconds, spinnerNanos[0] / 1e9 / seconds };
    }

    /** utime + stime of /proc/PID/stat. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
