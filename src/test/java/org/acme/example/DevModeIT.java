package org.acme.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.example.testing.DevMode;
import org.acme.example.testing.PlainHttp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/**
 * {@code ./mvnw quarkus:dev} as the README runs it, in a copy of the project: the service keeps serving on both
 * ports after a Java source edit, an {@code application.properties} edit, a forced restart ({@code s}) and three
 * reloads in a row; the connection caps still hold; what ran on the instance before a restart (traffic generator,
 * timed fault, scenario, fault-file watcher) is gone with it; and continuous testing ({@code r}) still passes.
 * <p>
 * A dev-mode restart keeps the Vert.x instance and its listening sockets but loads the application's classes anew:
 * anything hooked into them by class, or left running by the old instance, shows here.
 */
class DevModeIT {

    private static final String PASSWORD = "dev-secret";
    /** Small, so that the test can fill a port; the same on both ports. */
    private static final int CAP = 4;
    private static final String RESOURCE = "src/main/java/org/acme/example/endpoint/ExampleResource.java";
    private static final String PROPERTIES = "src/main/resources/application.properties";
    private static final Duration RELOAD_TIMEOUT = Duration.ofMinutes(2);
    private static final String RELOADED = "Live reload total time";
    /** Longer than the timed fault and the scenario set before a restart: their timers would have fired by then. */
    private static final Duration OLD_TIMERS = Duration.ofSeconds(5);
    /** The fault file is polled every second; a second watcher would have seen the change by then. */
    private static final Duration WATCHER_POLLS = Duration.ofSeconds(3);

    @Test
    void keepsServingThroughReloadsAndRestarts() throws IOException {
        Path faultFile = Files.createTempFile("dev-mode-fault-", ".json");
        Files.writeString(faultFile, "{\"failureRate\": 0.0}");
        try (DevMode dev = DevMode.start(List.of(
                // %dev: continuous testing runs the tests with the same system properties (test profile)
                "-D%dev.example.fault-control.password=" + PASSWORD,
                "-D%dev.example.fault.file=" + faultFile,
                "-D%dev.example.http.max-connections=" + CAP,
                "-D%dev.example.http.management-max-connections=" + CAP,
                "-D%dev.example.http.request-head-timeout=60s",
                "-Dquarkus.test.include-pattern=org\\.acme\\.example\\.HealthTest"))) {
            assertServes(dev, "ok\n");

            // A Java source edit, with the traffic generator and a timed fault running.
            put(dev, "/traffic", "{\"rate\": 20}");
            put(dev, "/fault", "{\"failureRate\": 0.01, \"for\": \"3s\"}");
            int before = dev.mark();
            editAnswer(dev, "ok\\n", "edited once\\n");
            int reloaded = dev.awaitLog(RELOADED, before, RELOAD_TIMEOUT);
            assertServes(dev, "edited once\n");
            assertNothingLeftFromBefore(dev, reloaded);

            // An application.properties edit, with a scenario running.
            put(dev, "/fault/scenario", "{\"steps\": [{\"for\": \"2s\", \"failureRate\": 0.02},"
                    + " {\"for\": \"2s\", \"failureRate\": 0.03}]}");
            before = dev.mark();
            dev.edit(PROPERTIES, text -> text.replace("example.failure-statuses=500=1", "example.failure-statuses=503=1"));
            reloaded = awaitReloadByRequests(dev, before);
            assertServes(dev, "edited once\n");
            assertEquals(1, baseline(dev).getJsonObject("failureStatuses").getInteger("503"),
                    "the edited property is in force: " + fault(dev));
            assertNothingLeftFromBefore(dev, reloaded);

            // A forced restart.
            before = dev.mark();
            dev.type("s");
            dev.awaitLog(RELOADED, before, RELOAD_TIMEOUT);
            assertServes(dev, "edited once\n");

            // Three reloads in a row.
            for (String text : List.of("second", "third", "fourth")) {
                before = dev.mark();
                editAnswer(dev, answerNow(dev), text + "\\n");
                dev.awaitLog(RELOADED, before, RELOAD_TIMEOUT);
                assertServes(dev, text + "\n");
            }

            // The fault file is watched once: one change, one log line (not one per instance started so far).
            before = dev.mark();
            Files.writeString(faultFile, "{\"failureRate\": 0.0, \"failureStatuses\": {\"502\": 1}}");
            dev.awaitLog("Fault settings changed: fault file", before, Duration.ofSeconds(20));
            quietFor(WATCHER_POLLS);
            assertEquals(1, count(dev.outputSince(before), "Fault settings changed: fault file"), dev.outputSince(before));

            // Continuous testing still runs, and passes.
            before = dev.mark();
            dev.type("r");
            assertEquals("tests are passing", awaitAny(dev, before, "tests are passing", "test failed", "tests failed"),
                    dev.outputSince(before));
        } finally {
            Files.deleteIfExists(faultFile);
        }
    }

    /** /example (with the answer's text), /live, /metrics, an authenticated change; both caps hold exactly. */
    private static void assertServes(DevMode dev, String answer) {
        // The ports are guarded shortly after they open (asynchronously): then the gauges of open connections appear.
        Poll.until("the connection gauges", Duration.ofSeconds(30),
                () -> PlainHttp.get(dev.managementPort(), "/metrics").body().contains("example_connections_open{port=\"management\"")
                        ? Boolean.TRUE : null, dev::output);
        assertEquals(new PlainHttp.Answer(200, answer), PlainHttp.get(dev.httpPort(), "/example"));
        assertEquals(200, PlainHttp.get(dev.httpPort(), "/live").status());
        PlainHttp.Answer metrics = PlainHttp.get(dev.managementPort(), "/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("example_failure_rate"), metrics.body());
        assertEquals(401, PlainHttp.exchange(dev.managementPort(), "PUT", "/traffic", null, "{\"rate\": 0}").status());
        put(dev, "/traffic", "{\"rate\": 0}");
        assertCap(dev, dev.httpPort(), "/live");
        assertCap(dev, dev.managementPort(), "/fault");
    }

    /**
     * At most {@link #CAP} connections are open on the port at once: {@code CAP + 1} connections each get an answer
     * (the last one takes the slot of an idle one, which is closed: see ConnectionSlots), and then exactly
     * {@code CAP} of them answer a second request. Two guards on one listening socket would count each connection
     * twice and close more, a stopped one left behind would refuse all, and connections counted but never let go
     * would leave fewer. The count of connections just closed may lag a moment behind: so, try again until it has
     * caught up.
     */
    private static void assertCap(DevMode dev, int port, String path) {
        Poll.until("exactly " + CAP + " connections open on port " + port, Duration.ofSeconds(20), () -> {
            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i <= CAP; i++) {
                    Socket socket = new Socket();
                    open.add(socket);
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    socket.setSoTimeout(10_000);
                    if (!answers(socket, path)) {
                        return null;
                    }
                }
                int stillOpen = 0;
                for (Socket socket : open) {
                    stillOpen += answers(socket, path) ? 1 : 0;
                }
                if (stillOpen > CAP) {
                    throw new AssertionError(stillOpen + " connections were open at once on port " + port + "\n"
                            + dev.output());
                }
                return stillOpen == CAP ? Boolean.TRUE : null;
            } catch (IOException e) {
                return null;
            } finally {
                open.forEach(DevModeIT::closeQuietly);
            }
        }, dev::output);
        // The server counts the connections just closed down a moment later: until then, the port is still full.
        Poll.until("port " + port + " to accept again", Duration.ofSeconds(10), () -> {
            try {
                return PlainHttp.get(port, path).status() == 200 ? Boolean.TRUE : null;
            } catch (IllegalStateException e) {
                return null;
            }
        }, dev::output);
    }

    /**
     * Whether the connection answers a request with 200; the answer is read whole, so that closing the connection
     * later is a plain close (a close with unread data is a reset, which Vert.x logs as an ERROR).
     */
    private static boolean answers(Socket socket, String path) {
        try {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            if (length.find()) {
                in.readNBytes(Integer.parseInt(length.group(1)));
            }
            return head.startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false; // reset: closed at accept, or evicted
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while (!head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
            head.append((char) b);
        }
        return head.toString();
    }

    /**
     * The instance before the restart left nothing running: its timed fault and scenario ended with it (none of
     * their timers fires later, on the old instance or the new), the new one starts from the baseline, and its
     * traffic generator stopped (no more requests reach /example).
     */
    private static void assertNothingLeftFromBefore(DevMode dev, int reloaded) {
        JsonObject fault = fault(dev);
        assertEquals(null, fault.getValue("override"), fault.encode());
        assertEquals(0.0, baseline(dev).getDouble("failureRate"), fault.encode());
        assertEquals("0.0", trafficRate(dev), "the new instance's generator is off");
        double requests = exampleRequests(dev);
        quietFor(OLD_TIMERS);
        assertEquals(requests, exampleRequests(dev), "no generator sends requests any more");
        String since = dev.outputSince(reloaded);
        assertFalse(since.contains("Fault settings changed"), "no timer of the old instance fired:\n" + since);
        assertFalse(since.contains("ERROR"), since);
    }

    private static JsonObject fault(DevMode dev) {
        PlainHttp.Answer answer = PlainHttp.get(dev.managementPort(), "/fault");
        assertEquals(200, answer.status(), answer.body());
        return new JsonObject(answer.body());
    }

    private static JsonObject baseline(DevMode dev) {
        return fault(dev).getJsonObject("baseline");
    }

    private static String trafficRate(DevMode dev) {
        return String.valueOf(new JsonObject(PlainHttp.get(dev.managementPort(), "/traffic").body()).getValue("rate"));
    }

    private static double exampleRequests(DevMode dev) {
        return ScrapedMetrics.parse(PlainHttp.get(dev.managementPort(), "/metrics").body())
                .samples("http_server_requests_seconds_count").stream()
                .filter(sample -> "/example".equals(sample.labels().get("uri")))
                .mapToDouble(ScrapedMetrics.Sample::value).sum();
    }

    private static void put(DevMode dev, String path, String json) {
        PlainHttp.Answer answer = PlainHttp.exchange(dev.managementPort(), "PUT", path, PASSWORD, json);
        assertEquals(200, answer.status(), "PUT " + path + " " + json + ": " + answer.body());
    }

    /** Edits the text /example answers; the next request reloads (polling until it has, as a developer would). */
    private static void editAnswer(DevMode dev, String from, String to) {
        dev.edit(RESOURCE, source -> source.replace("RestResponse.ok(\"" + from + "\")", "RestResponse.ok(\"" + to + "\")"));
        String expected = to.replace("\\n", "\n");
        Poll.until("/example to answer '" + expected + "'", RELOAD_TIMEOUT,
                () -> expected.equals(tryGet(dev, "/example")) ? Boolean.TRUE : null, dev::output);
    }

    /** The text currently in the source, as written there (with {@code \n}). */
    private static String answerNow(DevMode dev) throws IOException {
        Matcher ok = Pattern.compile("RestResponse\\.ok\\(\"([^\"]*)\"\\)")
                .matcher(Files.readString(dev.project().resolve(RESOURCE)));
        assertTrue(ok.find());
        return ok.group(1);
    }

    /** A change to application.properties is found at the next request, as a source edit is. */
    private static int awaitReloadByRequests(DevMode dev, int before) {
        return Poll.until("a reload after the edit", RELOAD_TIMEOUT, () -> {
            tryGet(dev, "/live");
            int at = dev.output().indexOf(RELOADED, before);
            return at < 0 ? null : at;
        }, dev::output);
    }

    private static String tryGet(DevMode dev, String path) {
        try {
            return PlainHttp.get(dev.httpPort(), path).body();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** Which of the texts the log shows first after {@code from}. */
    private static String awaitAny(DevMode dev, int from, String... texts) {
        return Poll.until("one of " + List.of(texts), RELOAD_TIMEOUT, () -> {
            String output = dev.output();
            String first = null;
            int firstAt = Integer.MAX_VALUE;
            for (String text : texts) {
                int at = output.indexOf(text, from);
                if (at >= 0 && at < firstAt) {
                    first = text;
                    firstAt = at;
                }
            }
            return first;
        }, dev::output);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    /** What must not happen can only be watched for a while. */
    private static void quietFor(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
