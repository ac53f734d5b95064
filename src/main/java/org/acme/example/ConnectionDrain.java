package org.acme.example;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.vertx.http.HttpServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
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
 * <li>closes the listening socket, now with an empty accept queue: from here on, connecting is refused, a clean
 * "not here";</li>
 * <li>lets the held requests through: each is answered in full with {@code Connection: close};</li>
 * <li>leaves {@link #ANSWER_TIME} before the delay ends for those answers, so that nothing is left to cut off.</li>
 * </ol>
 * The listening socket is reached through Vert.x internals (its acceptor event loop), as Vert.x 4 has no public
 * way to stop accepting without closing the connections; Vert.x 5's {@code HttpServer.shutdown} does this.
 */
@ApplicationScoped
public class ConnectionDrain {

    private static final Logger LOG = Logger.getLogger(ConnectionDrain.class);

    /** Long enough for connections already completing their handshake to be accepted and send a request. */
    static final Duration HOLD = Duration.ofMillis(500);
    /** Left between closing the listening socket and the end of the delay, for the held requests' answers. */
    static final Duration ANSWER_TIME = Duration.ofMillis(500);
    /** Before every other route, so that a held request has not reached any handler yet. */
    static final int ORDER = Integer.MIN_VALUE;

    private final Vertx vertx;
    private final HttpServer httpServer;
    private final Optional<Duration> delay;
    private final List<Runnable> held = new ArrayList<>();
    private Router router;
    private boolean holding;

    ConnectionDrain(Vertx vertx, HttpServer httpServer,
            @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay) {
        this.vertx = vertx;
        this.httpServer = httpServer;
        this.delay = delay;
    }

    void rememberRouter(@Observes Router router) {
        this.router = router;
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        long closeAt = delay.orElse(Duration.ZERO).minus(ANSWER_TIME).toMillis();
        long holdAt = closeAt - HOLD.toMillis();
        if (holdAt < 1 || router == null) {
            LOG.debugf("Shutdown delay %s too short to drain connections before it ends", delay);
            return;
        }
        vertx.setTimer(holdAt, id -> startHolding());
        vertx.setTimer(closeAt, id -> stopAccepting().onComplete(closed -> release()));
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

    private void release() {
        List<Runnable> waiting;
        synchronized (this) {
            holding = false;
            waiting = List.copyOf(held);
            held.clear();
        }
        LOG.infof("Stopped accepting connections on port %d; answering the %d requests held meanwhile",
                httpServer.getPort(), waiting.size());
        waiting.forEach(Runnable::run);
    }

    /** Closes the main port's listening socket, and only it: accepted connections stay open. */
    private Future<Void> stopAccepting() {
        int port = httpServer.getPort();
        List<Future<Void>> closed = new ArrayList<>();
        for (EventExecutor executor : ((VertxInternal) vertx).getAcceptorEventLoopGroup()) {
            if (executor instanceof SingleThreadEventLoop loop) {
                Promise<Void> promise = Promise.promise();
                // The loop's channel list may only be read on the loop itself.
                loop.execute(() -> closeListeners(loop, port, promise));
                closed.add(promise.future());
            }
        }
        return Future.join(closed).mapEmpty();
    }

    private static void closeListeners(SingleThreadEventLoop loop, int port, Promise<Void> promise) {
        List<Future<Void>> closed = new ArrayList<>();
        for (Iterator<Channel> channels = loop.registeredChannelsIterator(); channels.hasNext();) {
            Channel channel = channels.next();
            if (channel instanceof ServerChannel && channel.localAddress() instanceof InetSocketAddress address
                    && address.getPort() == port) {
                Promise<Void> done = Promise.promise();
                channel.close().addListener(f -> done.complete());
                closed.add(done.future());
            }
        }
        Future.join(closed).<Void> mapEmpty().onComplete(promise);
    }
}
