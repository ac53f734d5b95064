package org.acme.example.http;

import org.acme.example.Durations;
import org.acme.example.InvalidSetting;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Function;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ServerChannel;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.vertx.http.HttpServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Bounds what clients can hold on both ports: at most {@code example.http.max-connections} and
 * {@code example.http.management-max-connections} connections (refused at accept, before anything is read), and on
 * each connection a {@link ConnectionGuard}.
 * <p>
 * Quarkus' own {@code quarkus.http.limits.max-connections} is left unset: it counts a connection only once Vert.x
 * has chosen between HTTP/1.x and h2c, that is after a complete first request head, so connections that never
 * finish their head are not counted; it does nothing on the management port; and it registers its gauges once per
 * event loop, which Micrometer refuses with a warning at every start where there is more than one (dev mode).
 */
// @Startup: invalid limits stop start-up instead of being found once the ports are open.
@Startup
@ApplicationScoped
public class ConnectionLimits {

    private static final Logger LOG = Logger.getLogger(ConnectionLimits.class);
    static final String MAIN_MAX = "example.http.max-connections";
    static final String MANAGEMENT_MAX = "example.http.management-max-connections";
    static final String MAX_HEADER_LINES = "example.http.max-header-lines";
    static final String UNFINISHED_HEADS_MEMORY = "example.http.unfinished-heads-memory";
    static final int MAX_HEADER_LINES_LIMIT = 10_000;
    static final long MIN_UNFINISHED_HEADS_MEMORY = 64 * 1024;
    static final long MAX_UNFINISHED_HEADS_MEMORY = 1024L * 1024 * 1024;
    /**
     * Pipelined requests a connection may have handed over per read, and held beyond that; HTTP/1.1 clients rarely
     * send more than one at a time.
     */
    static final int MAX_PIPELINED_REQUESTS = 4;
    /**
     * Resets a port's log mentions in a window ({@link DenialLog#WINDOW}) from this many: a client resets a connection
     * now and then; thousands are a flood.
     */
    static final int RESET_FLOOD = 100;
    /**
     * Head timeouts a port's log mentions in a window from this many: a browser may open a connection it then leaves
     * unused, a slow network may not bring a head in time; holding a port's connections with heads that never end
     * takes hundreds.
     */
    static final int HEAD_TIMEOUT_FLOOD = 20;
    /** How long the management port may still be opening after the main port listens. */
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final HttpServer httpServer;
    private final MeterRegistry registry;
    private final int mainMax;
    private final int managementMax;
    private final Duration headTimeout;
    private final int configuredManagementPort;
    private final int maxHeaderLines;
    /** Shared by both ports: what their unfinished heads hold comes out of one heap. */
    private final UnfinishedHeads unfinishedHeads;
    /** The guard of each listening port. */
    private final Map<Integer, AcceptGuard> guards = new ConcurrentHashMap<>();

    ConnectionLimits(Vertx vertx, HttpServer httpServer, MeterRegistry registry, HttpLimitsConfig config,
            @ConfigProperty(name = "quarkus.management.port") int configuredManagementPort) {
        this.vertx = vertx;
        this.httpServer = httpServer;
        this.registry = registry;
        this.mainMax = requirePositive(MAIN_MAX, config.maxConnections());
        this.managementMax = requirePositive(MANAGEMENT_MAX, config.managementMaxConnections());
        this.headTimeout = config.requestHeadTimeout();
        this.configuredManagementPort = configuredManagementPort;
        this.maxHeaderLines = config.maxHeaderLines();
        if (maxHeaderLines < 1 || maxHeaderLines > MAX_HEADER_LINES_LIMIT) {
            throw new ConfigurationException(InvalidSetting.message(MAX_HEADER_LINES, String.valueOf(maxHeaderLines),
                    "a whole number from 1 to " + MAX_HEADER_LINES_LIMIT));
        }
        long headsMemory = config.unfinishedHeadsMemory().asLongValue();
        if (headsMemory < MIN_UNFINISHED_HEADS_MEMORY || headsMemory > MAX_UNFINISHED_HEADS_MEMORY) {
            throw new ConfigurationException(InvalidSetting.message(UNFINISHED_HEADS_MEMORY, String.valueOf(headsMemory),
                    "a size from 64K to 1G (bytes, or with a unit K, M, G)"));
        }
        this.unfinishedHeads = new UnfinishedHeads(headsMemory);
        Gauge.builder("example.request.heads.unfinished", unfinishedHeads, UnfinishedHeads::held)
                .description("Memory held by request heads being received (estimated), of at most " + headsMemory)
                .baseUnit("bytes")
                .register(registry);
    }

    /**
     * The ports listen: they are guarded from now on. The few connections a port might accept before this runs are
     * not guarded, which only matters before the service is ready.
     */
    void install(@Observes PortsListening ports) {
        try {
            guard("http", ports::httpPort, mainMax, false);
            // Vert.x switches to HTTP/2 on an Upgrade request where h2c cannot be configured off (management port).
            guard("management", this::managementPort, managementMax, true);
        } catch (Exception e) {
            if (Arc.container() == null || !Arc.container().isRunning()) {
                return; // start-up failed meanwhile (the management port could not be bound, say): that is the news
            }
            // At the first start this runs in an asynchronous observer (ListeningPorts), which nobody waits for: say
            // it here, or nobody would know the ports are unguarded.
            LOG.error("Could not limit the connections of the service's ports", e);
        }
    }

    private void guard(String name, IntSupplier listeningPort, int max, boolean refuseUpgrade) throws Exception {
        Counter refused = Counter.builder("example.connections.refused")
                .description("Connections closed at accept because the port had its maximum of open connections")
                .tag("port", name)
                .register(registry);
        Counter evicted = Counter.builder("example.connections.evicted")
                .description("Idle connections closed to give their slot to a new connection, the port being full")
                .tag("port", name)
                .register(registry);
        long headTimeoutNanos = headTimeout.toNanos();
        HeadLimits headLimits = headLimits(name);
        Function<ConnectionSlots.Slot, ConnectionGuard> connectionGuards =
                slot -> new ConnectionGuard(headTimeoutNanos, MAX_PIPELINED_REQUESTS, refuseUpgrade, headLimits, slot);
        long deadline = System.nanoTime() + LISTEN_WAIT.toNanos();
        int port;
        List<ServerChannel> listening = List.of();
        do {
            port = listeningPort.getAsInt();
            if (port > 0) {
                listening = ListeningSockets.onEach(vertx, port, Future::succeededFuture)
                        .toCompletionStage().toCompletableFuture().get(LISTEN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } while (listening.isEmpty() && System.nanoTime() < deadline && pause());
        if (listening.isEmpty()) {
            throw new IllegalStateException("No listening socket found for port " + port
                    + ": ListeningSockets no longer matches how Vert.x registers its servers");
        }
        String full = "Port " + port + " (" + name + ") full";
        DenialLog denials = new DenialLog(vertx, full, LOG::warn);
        DenialLog resets = DenialLog.flood(vertx, "Port " + port + " (" + name + ")", RESET_FLOOD, LOG::warn);
        AcceptGuard guard = AcceptGuard.install(listening, max, connectionGuards,
                address -> {
                    refused.increment();
                    denials.record("connections refused at accept", address.getHostAddress(),
                            () -> full + ": refused a connection from " + address.getHostAddress());
                },
                address -> {
                    evicted.increment();
                    denials.record("idle connections closed for new ones", address.getHostAddress(),
                            () -> full + ": closed an idle connection of " + address.getHostAddress() + " for a new one");
                },
                address -> resets.record("connections reset by their clients", address.getHostAddress()));
        guards.put(port, guard);
        Gauge.builder("example.connections.open", guard, AcceptGuard::open)
                .description("Connections open on the port, of at most " + max)
                .tag("port", name)
                .register(registry);
        LOG.debugf("Port %d (%s): at most %d connections, request heads within %s", port, name, max, headTimeout);
    }

    private HeadLimits headLimits(String name) {
        Map<HeadRefusal, Counter> refused = new EnumMap<>(HeadRefusal.class);
        for (HeadRefusal refusal : HeadRefusal.values()) {
            refused.put(refusal, Counter.builder("example.request.heads.refused")
                    .description("Request heads refused, their connection closed: not complete in time (408), too many"
                            + " header lines (431), unfinished when all unfinished heads held their memory's limit (503),"
                            + " over the head's size (431) or the request line's (414), one request more than may wait"
                            + " for answers, an HTTP/2 connection preface")
                    .tag("port", name)
                    .tag("reason", refusal.tag)
                    .register(registry));
        }
        String what = "Request heads refused on the " + name + " port";
        // What the summary lines count, made once: refusals come by the thousand in an attack.
        Map<HeadRefusal, String> outcomes = new EnumMap<>(HeadRefusal.class);
        for (HeadRefusal refusal : HeadRefusal.values()) {
            outcomes.put(refusal, switch (refusal) {
                case TIMEOUT -> "heads not complete within " + Durations.format(headTimeout) + " answered 408";
                case LINES -> "heads of more than " + maxHeaderLines + " header lines answered 431";
                case MEMORY -> "unfinished heads beyond " + UNFINISHED_HEADS_MEMORY + " answered 503";
                case SIZE -> "heads over the size limit answered 431";
                case REQUEST_LINE -> "request lines over the length limit answered 414";
                case PIPELINED -> "requests beyond " + MAX_PIPELINED_REQUESTS + " waiting closed";
                case HTTP2 -> "HTTP/2 connection prefaces closed";
            });
        }
        DenialLog denials = new DenialLog(vertx, what, LOG::warn);
        DenialLog timeouts = DenialLog.flood(vertx, what, HEAD_TIMEOUT_FLOOD, LOG::warn);
        return new HeadLimits(maxHeaderLines, unfinishedHeads, (refusal, address) -> {
            refused.get(refusal).increment();
            String outcome = outcomes.get(refusal);
            String from = address.getHostAddress();
            if (refusal == HeadRefusal.TIMEOUT) {
                timeouts.record(outcome, from);
                return;
            }
            denials.record(outcome, from, () -> what + ": " + switch (refusal) {
                case LINES -> "a head of more than " + maxHeaderLines + " header lines from " + from + " (431, closed)";
                case MEMORY -> "an unfinished head from " + from + " would pass the memory all unfinished heads may hold, "
                        + unfinishedHeads.budget() + " bytes (" + UNFINISHED_HEADS_MEMORY + "; 503, closed)";
                case SIZE -> "a head over the size limit from " + from + " (431, closed)";
                case REQUEST_LINE -> "a request line over the length limit from " + from + " (414, closed)";
                case PIPELINED -> "a request beyond " + MAX_PIPELINED_REQUESTS + " waiting for their answers from " + from
                        + " (closed)";
                case HTTP2 -> "an HTTP/2 connection preface from " + from + " (closed)";
                case TIMEOUT -> throw new IllegalStateException("head timeouts are logged as a flood, without a first line");
            });
        });
    }

    /**
     * The application stops. In dev mode, which keeps the listening sockets for its next start, the guards are
     * taken off them: the next start puts its own, and until it does (or if it fails, when dev mode shows its error
     * page) connections are let through. Otherwise (tests, and production without a shutdown delay) new connections
     * are closed at accept from now on, quietly (see AcceptGuard).
     */
    void release() {
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            guards.keySet().forEach(port -> ListeningSockets.onEach(vertx, port, listening -> {
                AcceptGuard.remove(listening);
                return Future.<Void>succeededFuture();
            }));
        } else {
            guards.values().forEach(AcceptGuard::stop);
        }
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

    private static int requirePositive(String property, int value) {
        if (value < 1) {
            throw new ConfigurationException(InvalidSetting.message(property, String.valueOf(value),
                    "a whole number of at least 1"));
        }
        return value;
    }
}
