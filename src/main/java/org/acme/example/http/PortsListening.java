package org.acme.example.http;

/**
 * Fired once per start of the application, as soon as its ports listen, on a worker thread or the main thread (see
 * {@link ListeningPorts}).
 *
 * @param host the main port's host setting ({@code quarkus.http.host}), e.g. {@code 0.0.0.0}
 * @param httpPort the port the main server listens on
 */
public record PortsListening(String host, int httpPort) {
}
