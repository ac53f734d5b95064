package org.acme.example.http;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

/**
 * Bounds what clients can hold on both ports: at most {@code max-connections} connections per port (refused at
 * accept, before anything is read), and on each connection a {@link ConnectionGuard}.
 * <p>
 * Quarkus applies {@code quarkus.http.limits.max-connections} only once Vert.x has chosen between HTTP/1.x and h2c,
 * that is after a complete first request head, so connections that never finish their head were not counted; and
 * it does not apply {@code quarkus.management.limits.max-connections} at all. Both are enforced here, at accept.
 */
// @Startup: invalid limits stop start-up instead of being found once the ports are open.
@Startup
@ApplicationScoped
public class ConnectionLimits {

    private static final Logger LOG = Logger.getLogger(ConnectionLimits.class);
    static final String MAIN_MAX = "quarkus.http.limits.max-connections";
    static final String MANAGEMENT_MAX = "quarkus.management.limits.max-connections";
    /**
     * Pipelined requests a connection may have handed over per read, and held beyond that; HTTP/1.1 clients rarely
     * send more than one at a time.
     */
    static final int MAX_PIPELINED_REQUESTS = 4;
    /** How long the management port may still be opening after the main port listens. */
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final HttpServer httpServer;
    private final MeterRegistry registry;
    private final int mainMax;
    private final int managementMax;
    /** Set explicitly, the main port's maximum also switches on Quarkus' own count (see application.properties). */
    private final boolean mainMaxSetForQuarkus;
    private final Duration headTimeout;
    private final int configuredManagementPort;
    private final List<AcceptGuard> guards = new CopyOnWriteArrayList<>();

    ConnectionLimits(Vertx vertx, HttpServer httpServer, MeterRegistry registry, HttpLimitsConfig config,
            @ConfigProperty(name = MAIN_MAX, defaultValue = "512") OptionalInt mainMax,
            @ConfigProperty(name = MANAGEMENT_MAX, defaultValue = "64") OptionalInt managementMax,
            @ConfigProperty(name = "quarkus.management.port") int configuredManagementPort) {
        this.vertx = vertx;
        this.httpServer = httpServer;
        this.registry = registry;
        this.mainMax = requirePositive(MAIN_MAX, mainMax);
        this.managementMax = requirePositive(MANAGEMENT_MAX, managementMax);
        this.mainMaxSetForQuarkus = ConfigProvider.getConfig().getOptionalValue(MAIN_MAX, String.class).isPresent();
        this.headTimeout = config.requestHeadTimeout();
        this.configuredManagementPort = configuredManagementPort;
    }

    /**
     * Quarkus opens its ports after start-up and then fires this event (asynchronously, on a worker thread) once
     * the main port listens; the management port is opened at the same time. The few connections a port might
     * accept before this runs are not guarded, which only matters before the service is ready.
     */
    void install(@ObservesAsync HttpServerStart started) {
        try {
            guard("http", httpServer::getPort, mainMax, mainMaxSetForQuarkus, false);
            // Vert.x switches to HTTP/2 on an Upgrade request where h2c cannot be configured off (management port).
            guard("management", this::managementPort, managementMax, false, true);
        } catch (Exception e) {
            if (Arc.container() == null || !Arc.container().isRunning()) {
                return; // start-up failed meanwhile (the management port could not be bound, say): that is the news
            }
            // Nobody waits for an asynchronous observer: say it here, or nobody would know the ports are unguarded.
            LOG.error("Could not limit the connections of the service's ports", e);
        }
    }

    private void guard(String name, IntSupplier listeningPort, int max, boolean quarkusCountsToo, boolean refuseUpgrade)
            throws Exception {
        Counter refused = Counter.builder("example.connections.refused")
                .description("Connections closed at accept because the port had its maximum of open connections")
                .tag("port", name)
                .register(registry);
        Counter evicted = Counter.builder("example.connections.evicted")
                .description("Idle connections closed to give their slot to a new connection, the port being full")
                .tag("port", name)
                .register(registry);
        String full = "Port " + listeningPort.getAsInt() + " (" + name + ") full";
        DenialLog denials = new DenialLog(vertx, full, LOG::warn);
        long headTimeoutNanos = headTimeout.toNanos();
        AcceptGuard guard = new AcceptGuard(max, quarkusCountsToo,
                slot -> new ConnectionGuard(headTimeoutNanos, MAX_PIPELINED_REQUESTS, refuseUpgrade, slot),
                address -> {
                    refused.increment();
                    denials.record("connections refused at accept", address.getHostAddress(),
                            () -> full + ": refused a connection from " + address.getHostAddress());
                },
                address -> {
                    evicted.increment();
                    denials.record("idle connections closed for new ones", address.getHostAddress(),
                            () -> full + ": closed an idle connection of " + address.getHostAddress() + " for a new one");
                });
        long deadline = System.nanoTime() + LISTEN_WAIT.toNanos();
        int port;
        List<Void> installed = List.of();
        do {
            port = listeningPort.getAsInt();
            if (port > 0) {
                installed = ListeningSockets.onEach(vertx, port, listening -> {
                    // Dev and test modes keep the listening sockets across restarts of the application.
                    if (listening.pipeline().get(AcceptGuard.class) != null) {
                        listening.pipeline().replace(AcceptGuard.class, null, guard);
                    } else {
                        listening.pipeline().addFirst(guard);
                    }
                    return Future.<Void>succeededFuture();
                }).toCompletionStage().toCompletableFuture().get(LISTEN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } while (installed.isEmpty() && System.nanoTime() < deadline && pause());
        if (installed.isEmpty()) {
            throw new IllegalStateException("No listening socket found for port " + port
                    + ": ListeningSockets no longer matches how Vert.x registers its servers");
        }
        guards.add(guard);
        LOG.debugf("Port %d (%s): at most %d connections, request heads within %s", port, name, max, headTimeout);
    }

    /** From now on, new connections on both ports are closed at accept, quietly (see AcceptGuard). */
    void closeNewConnections() {
        guards.forEach(AcceptGuard::stop);
    }

    /** Quarkus registers the management port only when it differs from the configured one (a free port in tests). */
    private int managementPort() {
        int registered = httpServer.getManagementPort();
        return registered > 0 ? registered : configuredManagementPort;
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(10);
        return true;
    }

    private static int requirePositive(String property, OptionalInt value) {
        if (value.isEmpty() || value.getAsInt() < 1) {
            throw new ConfigurationException(property + " must be a whole number of at least 1, got '"
                    + (value.isPresent() ? value.getAsInt() : "") + "'");
        }
        return value.getAsInt();
    }
}
