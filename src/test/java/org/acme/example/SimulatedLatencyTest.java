package org.acme.example;

import org.acme.example.endpoint.ExampleResource;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class SimulatedLatencyTest {

    /** What the client, the loopback and a busy 2-core machine may add on top of the simulated delay. */
    private static final long OVERHEAD_MS = 150;

    @TestHTTPResource("/example")
    URI example;

    @TestHTTPResource(value = "/fault", management = true)
    URL fault;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void restoreDefaults() {
        given().delete(fault).then().statusCode(200);
    }

    @Test
    void eachAnswerIsDelayedWithinTheBounds() throws Exception {
        set("{\"failureRate\": 0.5, \"latencyMin\": \"40ms\", \"latencyMax\": \"120ms\"}");
        send(); // warm the connection
        for (int i = 0; i < 30; i++) {
            long start = System.nanoTime();
            int status = send().statusCode();
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(status == 200 || status == 500, "status " + status);
            assertTrue(elapsedMs >= 40 && elapsedMs <= 120 + OVERHEAD_MS,
                    "a " + status + " took " + elapsedMs + " ms, outside [40, 120] + " + OVERHEAD_MS + " ms");
        }
    }

    /** Delays are timers, not sleeping threads: 64 requests delayed by 100 ms overlap instead of queueing. */
    @Test
    void concurrentSlowRequestsOverlap() throws Exception {
        set("{\"failureRate\": 0, \"latencyMin\": \"100ms\", \"latencyMax\": \"100ms\"}");
        send();
        int requests = 64;
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            answers.add(client.sendAsync(request(), HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(50); // the requests are now waiting out their delay
        assertEquals(List.of(), threadsWaitingInTheResource(), "no thread may wait for a simulated delay");
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertEquals(200, answer.get().statusCode());
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        // In sequence they would take 6.4 s; even a small pool of blocked threads would take seconds.
        assertTrue(elapsedMs < 2_000, "64 concurrent 100 ms requests took " + elapsedMs + " ms");
    }

    /** Settings change while requests are waiting on their timers and while new ones arrive: none of them breaks. */
    @Test
    void changesDuringInFlightRequestsBreakNone() throws Exception {
        set("{\"failureRate\": 0.5, \"latencyMin\": \"0ms\", \"latencyMax\": \"30ms\"}");
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                workers.add(clients.submit(() -> {
                    int answered = 0;
                    while (running.get()) {
                        HttpResponse<String> response = send();
                        String expected = response.statusCode() == 200 ? "ok\n" : "simulated failure\n";
                        assertTrue(response.statusCode() == 200 || response.statusCode() == 500);
                        assertEquals(expected, response.body());
                        answered++;
                    }
                    return answered;
                }));
            }
            String[] changes = {
                    "{\"failureRate\": 1, \"latencyMin\": \"10ms\", \"latencyMax\": \"50ms\"}",
                    "{\"failureRate\": 0, \"latencyMin\": \"0ms\", \"latencyMax\": \"0ms\"}",
                    "{\"failureRate\": 0.3, \"latencyMax\": \"20ms\"}",
                    "{\"latencyMin\": \"5ms\"}" };
            for (int i = 0; i < 40; i++) {
                set(changes[i % changes.length]);
                Thread.sleep(25);
            }
            running.set(false);
            int answered = 0;
            for (Future<Integer> worker : workers) {
                answered += worker.get(); // rethrows any failed request or assertion
            }
            assertTrue(answered > 100, "only " + answered + " requests were answered");
        } finally {
            running.set(false);
            clients.shutdownNow();
        }
    }

    /** @QuarkusTest runs the service in this JVM, so its threads can be inspected directly. */
    private static List<String> threadsWaitingInTheResource() {
        List<String> waiting = new ArrayList<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            boolean inResource = Arrays.stream(stack)
                    .anyMatch(frame -> frame.getClassName().startsWith(ExampleResource.class.getPackageName()));
            if (inResource && thread.getState() != Thread.State.RUNNABLE) {
                waiting.add(thread.getName() + " " + thread.getState());
            }
        });
        return waiting;
    }

    private void set(String body) {
        given().contentType(ContentType.JSON).body(body).put(fault).then().statusCode(200);
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(example).timeout(Duration.ofSeconds(10)).build();
    }

    private HttpResponse<String> send() throws Exception {
        return client.send(request(), HttpResponse.BodyHandlers.ofString());
    }
}
