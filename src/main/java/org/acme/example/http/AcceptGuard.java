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

    AcceptGuard(int maxConnections, Supplier<ConnectionGuard> guards, Runnable onRefused) {
        this.maxConnections = maxConnections;
        this.guards = guards;
        this.onRefused = onRefused;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel connection = (Channel) msg;
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

    int open() {
        return open.get();
    }
}
