package org.acme.example.http;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.AttributeKey;

/**
 * On a listening socket: closes a new connection at once when the port already has its maximum, before anything is
 * read from it, and puts a {@link ConnectionGuard} in front of every connection it lets through, with a small
 * bound on the answers it may leave unread.
 * <p>
 * Once {@link #stop() stopped} (shutdown without a delay to drain connections: tests), it closes every new connection
 * the same way. Vert.x takes a port's event loops away a moment before it closes the listening socket, and a
 * connection accepted in between cannot be registered anywhere: Netty would close it too, but log a warning with a
 * stack trace for each.
 * <p>
 * Dev mode keeps the listening sockets when it restarts the application, and loads the application's classes anew:
 * a guard is found in the socket's pipeline by its {@link #NAME}, never by its class, and the count of open
 * connections is kept on the socket itself ({@link #OPEN_CONNECTIONS}), so that the next guard goes on from it.
 */
@ChannelHandler.Sharable
final class AcceptGuard extends ChannelInboundHandlerAdapter {

    /**
     * Answers a client has not read yet above which its connection stops taking requests: above one scrape (about
     * 25 KiB), a quarter of Netty's default, so that clients that do not read cannot fill the memory together.
     */
    static final WriteBufferWaterMark UNREAD_ANSWERS = new WriteBufferWaterMark(8 * 1024, 32 * 1024);
    /** The guard's name in the listening socket's pipeline. */
    static final String NAME = "example.accept-guard";
    /** A listening socket's open connections; of a JDK type, which every class loader shares. */
    static final AttributeKey<AtomicInteger> OPEN_CONNECTIONS = AttributeKey.valueOf("example.open-connections");

    private final int maxConnections;
    private final Supplier<ConnectionGuard> guards;
    private final AtomicInteger open;
    private final Runnable onRefused;
    private volatile boolean stopped;

    AcceptGuard(int maxConnections, AtomicInteger open, Supplier<ConnectionGuard> guards, Runnable onRefused) {
        this.maxConnections = maxConnections;
        this.open = open;
        this.guards = guards;
        this.onRefused = onRefused;
    }

    /**
     * Puts one guard on the listening sockets of a port, in place of the one a previous start of the application
     * left there (dev mode), counting on from that one's count.
     */
    static AcceptGuard install(List<ServerChannel> listening, int maxConnections, Supplier<ConnectionGuard> guards,
            Runnable onRefused) {
        listening.get(0).attr(OPEN_CONNECTIONS).setIfAbsent(new AtomicInteger());
        AtomicInteger open = listening.get(0).attr(OPEN_CONNECTIONS).get();
        AcceptGuard guard = new AcceptGuard(maxConnections, open, guards, onRefused);
        for (ServerChannel socket : listening) {
            socket.attr(OPEN_CONNECTIONS).set(open);
            if (socket.pipeline().get(NAME) != null) {
                socket.pipeline().replace(NAME, NAME, guard);
            } else {
                socket.pipeline().addFirst(NAME, guard);
            }
        }
        return guard;
    }

    /** Takes the guard off its listening socket: connections are accepted unguarded from now on. */
    static void remove(Channel listening) {
        if (listening.pipeline().get(NAME) != null) {
            listening.pipeline().remove(NAME);
        }
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
        guards.get().addTo(connection.pipeline());
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
