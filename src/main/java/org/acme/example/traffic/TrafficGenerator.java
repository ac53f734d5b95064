package org.acme.example.traffic;

import org.acme.example.ExampleConfig;
import org.acme.example.http.PortsListening;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Sends {@code GET /example} to the service's own main port at a given rate, so that a fresh deployment fills
 * Prometheus and the dashboard without any other tool. The requests are real HTTP requests through the server,
 * counted like any client's.
 * <p>
 * Non-blocking: a timer on one event loop sends the requests due, with Vert.x' HTTP client. At most
 * {@link #MAX_IN_FLIGHT} requests are in flight (each on its own keep-alive connection); a request due while all of
 * them wait (slow answers under a latency fault) is not sent, and is counted as skipped. All the generator's state
 * lives on that one event loop, except the rate, which the management endpoint sets.
 * <p>
 * It stops sending when shutdown begins (the start of the shutdown delay): its own requests would otherwise keep the
 * instance busy while it drains.
 */
// Created at start-up, so that its meters exist, at 0, from the first scrape.
@Startup
@ApplicationScoped
public class TrafficGenerator {

    private static final Logger LOG = Logger.getLogger(TrafficGenerator.class);

    /** Bounds the connections and the requests waiting for an answer, whatever the rate and the latency. */
    public static final int MAX_IN_FLIGHT = 32;
    static final Duration TICK = Duration.ofMillis(10);
    /** Longer than the longest simulated latency (60 s): a delayed answer is an answer, not a failure. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(65);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final String PATH = "/example";

    private final Vertx vertx;
    private final Counter answered;
    private final Counter failed;
    private final Counter skipped;

    private volatile double rate;
    private volatile boolean stopped;

    /** The event loop the generator runs on; set once the main port listens, read by {@link #setRate}. */
    private volatile Context context;
    // Confined to that event loop (set before its first task).
    private HttpClient client;
    private RequestOptions request;
    private long timerId = -1;
    private long lastTickNanos;
    private double due;
    // Written on the generator's event loop only; volatile for the gauge, read at each scrape.
    private volatile int inFlight;

    TrafficGenerator(Vertx vertx, MeterRegistry registry, ExampleConfig config) {
        this.vertx = vertx;
        this.rate = config.traffic().rate();
        this.answered = outcomeCounter(registry, "answered");
        this.failed = outcomeCounter(registry, "failed");
        this.skipped = outcomeCounter(registry, "skipped");
        Gauge.builder("example.traffic.rate", this, TrafficGenerator::rate)
                .description("Requests per second the built-in traffic generator sends to /example (0: off)")
                .baseUnit("per.second")
                .register(registry);
        Gauge.builder("example.traffic.in.flight", this, generator -> generator.inFlight)
                .description("Requests of the built-in traffic generator waiting for their answer (at most "
                        + MAX_IN_FLIGHT + ")")
                .baseUnit("requests")
                .register(registry);
    }

    private static Counter outcomeCounter(MeterRegistry registry, String result) {
        return Counter.builder("example.traffic.requests")
                .description("Requests of the built-in traffic generator by result (answered, failed: no answer, "
                        + "skipped: too many in flight)")
                .tag("result", result)
                .register(registry);
    }

    /** The main port is listening: from now on its requests can be answered. */
    void onPortsListening(@Observes PortsListening ports) {
        String host = ports.host();
        if (host == null || host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        } else if (host.equals("::") || host.equals("[::]")) {
            host = "::1";
        }
        request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(host)
                .setPort(ports.httpPort())
                .setURI(PATH)
                .setConnectTimeout(CONNECT_TIMEOUT.toMillis())
                .setIdleTimeout(ANSWER_TIMEOUT.toMillis());
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(MAX_IN_FLIGHT));
        context = vertx.getOrCreateContext();
        context.runOnContext(ignored -> schedule());
        if (rate > 0) {
            LOG.infof("Sending %s requests per second to http://%s:%d%s", rate, host, request.getPort(), PATH);
        }
    }

    public double rate() {
        return rate;
    }

    /**
     * Changes the rate from the next tick on; {@code rate} must have passed {@link TrafficRules#requireRate}.
     *
     * @param by who changed it, for the log
     */
    public void setRate(double rate, String by) {
        double previous = this.rate;
        this.rate = rate;
        if (previous != rate) {
            LOG.infof("Traffic rate changed from %s to %s requests per second by %s", previous, rate, by);
        }
        if (context != null) {
            context.runOnContext(ignored -> schedule());
        }
    }

    /** Runs the timer while there is something to send. */
    private void schedule() {
        boolean sending = rate > 0 && !stopped;
        if (sending && timerId < 0) {
            lastTickNanos = System.nanoTime();
            due = 0;
            timerId = vertx.setPeriodic(TICK.toMillis(), this::tick);
        } else if (!sending && timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    private void tick(long id) {
        long now = System.nanoTime();
        double current = rate;
        // What the rate makes due since the last tick; a stalled loop (a long pause) does not send a burst after it.
        due = Math.min(due + current * (now - lastTickNanos) / 1e9, Math.max(1, current * 0.1));
        lastTickNanos = now;
        while (due >= 1 && !stopped) {
            due -= 1;
            send();
        }
    }

    private void send() {
        if (inFlight >= MAX_IN_FLIGHT) {
            skipped.increment();
            return;
        }
        inFlight++;
        client.request(request)
                .compose(HttpClientRequest::send)
                .compose(HttpClientResponse::body)
                .onComplete(result -> {
                    inFlight--;
                    (result.succeeded() ? answered : failed).increment();
                });
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        stop();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }

    private void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (context != null) {
            // Vert.x outlives the application in dev mode: the timer and the client's connections end here.
            context.runOnContext(ignored -> {
                schedule();
                client.close();
            });
        }
    }
}
