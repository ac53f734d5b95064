package org.acme.example.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests to {@code GET /example} from a background thread, one at a time, about 200 a second (a pause
 * between requests keeps the machine, shared with Prometheus and other builds, responsive), until closed.
 */
public final class Traffic implements AutoCloseable {

    private static final long PAUSE_MILLIS = 5;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final HttpRequest request;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failedToConnect = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private Traffic(String baseUrl) {
        this.request = HttpRequest.newBuilder(URI.create(baseUrl + "/example")).timeout(Duration.ofSeconds(5)).build();
        this.thread = new Thread(this::loop, "traffic-to-example");
        this.thread.setDaemon(true);
    }

    public static Traffic start(String baseUrl) {
        Traffic traffic = new Traffic(baseUrl);
        traffic.thread.start();
        return traffic;
    }

    private void loop() {
        while (running) {
            try {
                client.send(request, HttpResponse.BodyHandlers.discarding());
                answered.incrementAndGet();
                Thread.sleep(PAUSE_MILLIS);
            } catch (IOException e) {
                failedToConnect.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "traffic: " + answered.get() + " requests answered, " + failedToConnect.get() + " failed to connect";
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
