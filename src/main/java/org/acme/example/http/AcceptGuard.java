package org.acme.example.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;

/**
 * On a listening socket: closes a new connection at once when the port already has its maximum, before anything is
 * read from it, and puts a {@link ConnectionGuard} in front of every connection it lets through, with a small
 * bound on the answers it may leave unread.
 * <p>
 * Once {@link #stop() stopped} (shutdown without a delay to drain connections: dev and test modes), it closes every
 * new connection the same way. Vert.x takes a port's event loops away a moment before it closes the listening
 * socket, and a connection accepted in between cannot be registered anywhere: Netty would close it too, but log a
 * warning with a stack trace for each (as when dev mode quits while continuous tests still send requests).
 */
@ChannelHandler.Sharable
final class AcceptGuard extends ChannelInboundHandlerAdapter {

    /**
     * Answers a client has not read yet above which its connection stops taking requests: above one scrape (about
     * 25 KiB), a quarter of Netty's default, so that clients that do not read cannot fill the memory together.
     */
    static final WriteBufferWaterMark UNREAD_ANSWERS = new WriteBufferWaterMark(8 * 1024, 32 * 1024);

    private final int maxConnections;
    private final Supplier<ConnectionGuard> guards;
    private final AtomicInteger open = new AtomicInteger();
    private final Runnable onRefused;
    private volatile boolean stopped;

    AcceptGuard(int maxConnections, Supplier<ConnectionGuard> guards, Runnable onRefused) {
        this.maxConnections = maxConnections;
        this.guards = guards;
        this.onRefused = onRefused;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel connection = (Channel) msg;
        if (stopped) {
            connection.unsafe().closeForcibly();
            return;
        }
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            // Not registered with an event loop yet: closed the way Netty closes a connection it cannot register.
            connection.unsafe().closeForcibly();
            onRefused.run();
            return;
        }
        connection.closeFuture().addListener(closed -> open.decrementAndGet());
        connection.config().setWriteBufferWaterMark(UNREAD_ANSWERS);
        connection.pipeline().addFirst(guards.get().front());
        ctx.fireChannelRead(connection);
    }

    /** From now on, new connections are closed at accept. */
    void stop() {
        stopped = true;
    }

    int open() {
        return open.get();
    }
}
