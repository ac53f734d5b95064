package org.acme.example.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.restassured.path.json.JsonPath;

/**
 * What a person's pager or ticket system would be: an HTTP server on a free loopback port that keeps the JSON bodies
 * Alertmanager's webhook receivers POST to it, with the path they came to. It keeps at most {@value #MAX_NOTIFICATIONS}
 * notifications of at most {@value #MAX_BODY_BYTES} bytes each, and answers 200.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** A notification: the path it was posted to and its body, Alertmanager's webhook JSON. */
    public record Notification(String path, JsonPath body) {

        public String status() {
            return body.getString("status");
        }

        @Override
        public String toString() {
            return path + " " + body.prettify();
        }
    }

    static final int MAX_NOTIFICATIONS = 1000;
    static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpServer server;
    private final List<Notification> notifications = new ArrayList<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        WebhookReceiver receiver = new WebhookReceiver(server);
        server.createContext("/", receiver::receive);
        server.start();
        return receiver;
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES);
            synchronized (notifications) {
                if (notifications.size() < MAX_NOTIFICATIONS) {
                    notifications.add(new Notification(exchange.getRequestURI().getPath(),
                            JsonPath.from(new String(body, StandardCharsets.UTF_8))));
                }
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /** http://127.0.0.1:port, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The notifications received so far on {@code path}, oldest first. */
    public List<Notification> received(String path) {
        synchronized (notifications) {
            return notifications.stream().filter(notification -> notification.path().equals(path)).toList();
        }
    }

    public List<Notification> all() {
        synchronized (notifications) {
            return List.copyOf(notifications);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
