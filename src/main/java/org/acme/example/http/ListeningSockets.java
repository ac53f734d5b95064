package org.acme.example.http;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

/**
 * The listening sockets of a port, as Netty channels: the one place that reaches into Vert.x internals.
 * <p>
 * Vert.x 4 offers no public way to stop accepting on a port while keeping its connections (the end of the shutdown
 * delay, {@link ConnectionDrain}), nor to act on a connection before it has sent a complete request head (the
 * per-connection limits, {@link ConnectionLimits}); both need the listening socket itself. Vert.x registers every
 * listening socket on its acceptor event loop, whose channel list Netty exposes ({@code @UnstableApi}). Vert.x 5's
 * {@code HttpServer.shutdown} and connection handlers would replace most of this. {@code ConnectionLimitsIT} and
 * {@code GracefulShutdownIT} fail if an upgrade changes what this relies on.
 */
final class ListeningSockets {

    private ListeningSockets() {
    }

    /**
     * Runs {@code action} on each listening socket of {@code port}, on that socket's own event loop (a loop's channel
     * list may only be read there), and completes with the action's results.
     */
    static <T> Future<List<T>> onEach(Vertx vertx, int port, Function<ServerChannel, Future<T>> action) {
        List<Future<List<T>>> perLoop = new ArrayList<>();
        for (EventExecutor executor : ((VertxInternal) vertx).getAcceptorEventLoopGroup()) {
            if (executor instanceof SingleThreadEventLoop loop) {
                Promise<List<T>> promise = Promise.promise();
                loop.execute(() -> onLoop(loop, port, action).onComplete(promise));
                perLoop.add(promise.future());
            }
        }
        return Future.all(perLoop).map(all -> perLoop.stream().flatMap(f -> f.result().stream()).toList());
    }

    private static <T> Future<List<T>> onLoop(SingleThreadEventLoop loop, int port,
            Function<ServerChannel, Future<T>> action) {
        List<Future<T>> results = new ArrayList<>();
        for (Iterator<Channel> channels = loop.registeredChannelsIterator(); channels.hasNext();) {
            if (channels.next() instanceof ServerChannel listening
                    && listening.localAddress() instanceof InetSocketAddress address && address.getPort() == port) {
                results.add(action.apply(listening));
            }
        }
        return Future.all(results).map(all -> results.stream().map(Future::result).toList());
    }
}
