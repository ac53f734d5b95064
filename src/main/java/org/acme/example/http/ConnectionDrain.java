package org.acme.example.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.vertx.http.HttpServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Ends the shutdown delay on the main port without a reset for clients that keep connecting.
 * <p>
 * When the delay ends, Quarkus closes the listening socket and every connection at once. A connection accepted a
 * moment earlier, whose request has not been read yet, is then reset, and so is any connection still waiting in
 * the kernel's accept queue. So, shortly before the delay ends, this:
 * <ol>
 * <li>holds new requests for {@link #HOLD}: clients wait for their answer instead of opening connections, and
 * the connections already on their way are accepted and send their request, which is held too;</li>
 * <li>closes the listening socket, now with an empty accept queue, and waits until connecting is refused: from
 * here on, a new client gets a clean "not here";</li>
 * <li>lets the held requests through: each is answered in full with {@code Connection: close};</li>
 * <li>leaves {@link #ANSWER_TIME} before the delay ends for those answers, so that nothing is left to cut off.</li>
 * </ol>
 * The listening socket is reached through {@link ListeningSockets}, as Vert.x 4 has no public way to stop accepting
 * without closing the connections.
 */
@ApplicationScoped
public class ConnectionDrain {

    private static final Logger LOG = Logger.getLogger(ConnectionDrain.class);

    /** Long enough for connections already completing their handshake to be accepted and send a request. */
    public static final Duration HOLD = Duration.ofMillis(500);
    /** Left between closing the listening socket and the end of the delay, for the held requests' answers. */
    public static final Duration ANSWER_TIME = Duration.ofMillis(500);
    /** Before every other route, so that a held request has not reached any handler yet. */
    static final int ORDER = Integer.MIN_VALUE;
    /**
     * At most this long is spent waiting for the closed listening socket to refuse connections (the first probe
     * usually is refused already); it comes out of {@link #ANSWER_TIME}, so it must stay well below it.
     */
    static final Duration REFUSAL_WAIT = Duration.ofMillis(250);

    private final Vertx vertx;
    private final HttpServer httpServer;
    private final ConnectionLimits limits;
    private final Optional<Duration> delay;
    private final List<Runnable> held = new ArrayList<>();
    private Router router;
    private boolean holding;

    ConnectionDrain(Vertx vertx, HttpServer httpServer, ConnectionLimits limits,
            @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay) {
        this.vertx = vertx;
        this.httpServer = httpServer;
        this.limits = limits;
        this.delay = delay;
    }

    void rememberRouter(@Observes Router router) {
        this.router = router;
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        long closeAt = delay.orElse(Duration.ZERO).minus(ANSWER_TIME).toMillis();
        long holdAt = closeAt - HOLD.toMillis();
        if (holdAt < 1 || router == null) {
            // Quarkus closes the ports right away (dev and test modes have no delay): a client that connects in the
            // meantime can only be closed on, and is, quietly.
            LOG.debugf("Shutdown delay %s too short to drain connections before it ends", delay);
            limits.release();
            return;
        }
        vertx.setTimer(holdAt, id -> startHolding());
        vertx.setTimer(closeAt, id -> stopAccepting()
                .compose(closed -> vertx.executeBlocking(() -> awaitRefusal(closed), false))
                .onComplete(refusing -> release(refusing.succeeded() && refusing.result())));
    }

    private synchronized void startHolding() {
        holding = true;
        router.route().order(ORDER).handler(this::holdOrPass);
    }

    private void holdOrPass(RoutingContext routing) {
        Context context = Vertx.currentContext();
        synchronized (this) {
            if (holding) {
                held.add(() -> context.runOnContext(v -> routing.next()));
                return;
            }
        }
        routing.next();
    }

    private void release(boolean refusing) {
        List<Runnable> waiting;
        synchronized (this) {
            holding = false;
            waiting = List.copyOf(held);
            held.clear();
        }
        if (refusing) {
            LOG.infof("Stopped accepting connections on port %d; answering the %d requests held meanwhile",
                    httpServer.getPort(), waiting.size());
        } else {
            LOG.warnf("Port %d still took connections %d ms after its listening socket was closed; answering the "
                    + "%d requests held meanwhile anyway", httpServer.getPort(), REFUSAL_WAIT.toMillis(),
                    waiting.size());
        }
        waiting.forEach(Runnable::run);
    }

    /** Closes the main port's listening sockets, and only them: accepted connections stay open. */
    private Future<List<InetSocketAddress>> stopAccepting() {
        return ListeningSockets.onEach(vertx, httpServer.getPort(), listening -> {
            InetSocketAddress address = (InetSocketAddress) listening.localAddress();
            Promise<InetSocketAddress> closed = Promise.promise();
            listening.close().addListener(f -> closed.complete(address));
            return closed.future();
        });
    }

    /**
     * Waits until connecting to each closed listener is refused. Netty reports the close while the kernel still
     * listens: the JDK closes a socket registered with a selector only at that selector's next select. A client
     * released before then could reconnect into the accept queue, and be reset when the socket really closes.
     * Connecting is the one check that does not depend on the transport or the JDK.
     *
     * @return whether every listener refused within {@link #REFUSAL_WAIT}
     */
    static boolean awaitRefusal(List<InetSocketAddress> listeners) throws InterruptedException {
        long deadline = System.nanoTime() + REFUSAL_WAIT.toNanos();
        for (InetSocketAddress listener : listeners) {
            InetSocketAddress target = listener.getAddress().isAnyLocalAddress()
                    ? new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getPort())
                    : listener;
            while (!refuses(target, deadline)) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(1);
            }
        }
        return true;
    }

    private static boolean refuses(InetSocketAddress target, long deadline) {
        try (Socket probe = new Socket()) {
            probe.connect(target, (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false; // a timeout (full accept queue) or worse: not a refusal
        }
    }
}
