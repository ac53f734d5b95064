package org.acme.example.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a kubelet probe or a Prometheus scrape does, on a schedule: every {@code period}, a new connection from
 * 127.0.0.1, one {@code GET} with {@code Connection: close}, and the whole answer within {@code timeout} (the probes'
 * timeout in the manifests is 3 s, Prometheus' default 10 s). Each attempt runs on its own thread, so a slow one does
 * not delay the next. Counts how the attempts ended.
 */
public final class PeriodicProbe implements AutoCloseable {

    private final int port;
    private final String path;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "periodic-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Integer> outcomes = new TreeMap<>();

    private PeriodicProbe(int port, String path, Duration timeout) {
        this.port = port;
        this.path = path;
        this.timeout = timeout;
    }

    public static PeriodicProbe start(int port, String path, Duration period, Duration timeout) {
        PeriodicProbe probe = new PeriodicProbe(port, path, timeout);
        probe.scheduler.scheduleAtFixedRate(() -> probe.scheduler.execute(probe::attempt), 0, period.toMillis(),
                TimeUnit.MILLISECONDS);
        return probe;
    }

    private void attempt() {
        String outcome;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            outcome = readAnswer(socket, deadline);
        } catch (IOException e) {
            outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        synchronized (outcomes) {
            outcomes.merge(outcome, 1, Integer::sum);
        }
    }

    /** The status line, once the server has sent everything and closed; or what went wrong. */
    private static String readAnswer(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        byte[] buffer = new byte[8192];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return "timed out";
            }
            socket.setSoTimeout((int) left);
            int read = in.read(buffer);
            if (read < 0) {
                int end = head.indexOf("\r\n");
                return end < 0 ? "closed without an answer" : head.substring(0, end);
            }
            if (head.length() < 256) {
                head.append(new String(buffer, 0, Math.min(read, 256), StandardCharsets.ISO_8859_1));
            }
        }
    }

    /** How the attempts so far ended: the status line of each answer, or what went wrong. */
    public Map<String, Integer> outcomes() {
        synchronized (outcomes) {
            return new TreeMap<>(outcomes);
        }
    }

    /** The share of attempts answered with {@code status}, from 0 to 1. */
    public double share(String status) {
        Map<String, Integer> seen = outcomes();
        int all = seen.values().stream().mapToInt(Integer::intValue).sum();
        return all == 0 ? 0 : seen.getOrDefault(status, 0) / (double) all;
    }

    /** Stops probing and waits for the attempts under way. */
    @Override
    public void close() throws InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    }
}
