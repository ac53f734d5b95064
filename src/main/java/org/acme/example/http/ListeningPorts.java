package org.acme.example.http;

import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

/**
 * Says when the ports listen, once per start of the application, with {@link PortsListening}. Quarkus' own
 * {@link HttpServerStart} comes only when it opens the ports, after the first start; a dev-mode restart (live reload,
 * {@code s}) keeps them open and fires nothing, so whatever waited for that event alone was never set up again.
 */
@ApplicationScoped
public class ListeningPorts {

    private final Vertx vertx;
    private final HttpServer httpServer;
    private final String host;
    private final int configuredPort;
    private final Event<PortsListening> listening;
    private boolean fired;

    ListeningPorts(Vertx vertx, HttpServer httpServer, @ConfigProperty(name = "quarkus.http.host") String host,
            @ConfigProperty(name = "quarkus.http.port") int configuredPort, Event<PortsListening> listening) {
        this.vertx = vertx;
        this.httpServer = httpServer;
        this.host = host;
        this.configuredPort = configuredPort;
        this.listening = listening;
    }

    /** The first start: Quarkus opens the ports after start-up, then fires this on a worker thread. */
    void opened(@ObservesAsync HttpServerStart start) {
        fire(httpServer.getPort());
    }

    /**
     * A dev-mode restart: the ports are open before start-up ends, on the configured port (the {@link HttpServer}
     * of a restarted application does not know it).
     */
    void started(@Observes StartupEvent event) throws Exception {
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT && configuredPort > 0
                && !ListeningSockets.onEach(vertx, configuredPort, Future::succeededFuture)
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).isEmpty()) {
            fire(configuredPort);
        }
    }

    private void fire(int port) {
        synchronized (this) {
            if (fired) {
                return;
            }
            fired = true;
        }
        listening.fire(new PortsListening(host, port));
    }
}
