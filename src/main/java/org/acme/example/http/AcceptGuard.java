package org.acme.example.http;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.AttributeKey;

/**
 * On a listening socket: gives each new connection a {@link ConnectionSlots slot} (at a full port, one taken from an
 * idle connection, which is closed), or closes it at once when there is none, before anything is read from it; and
 * puts a {@link ConnectionGuard} in front of every connection it lets through, with a small bound on the answers it
 * may leave unread. A connection its client has already reset is closed at accept, and one reset later is closed
 * quietly ({@link PeerReset}).
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

    private final ConnectionSlots slots;
    private final Function<ConnectionSlots.Slot, ConnectionGuard> guards;
    private final AtomicInteger open;
    private final Consumer<InetAddress> onRefused;
    private final Consumer<InetAddress> onEvicted;
    private final PeerReset resets;
    private volatile boolean stopped;

    /**
     * @param onRefused told the address of each connection refused because the port was full
     * @param onEvicted told the address of each idle connection closed to make room for a new one
     * @param onReset told the address of each connection its client reset
     */
    AcceptGuard(int maxConnections, AtomicInteger open, Function<ConnectionSlots.Slot, ConnectionGuard> guards,
            Consumer<InetAddress> onRefused, Consumer<InetAddress> onEvicted, Consumer<InetAddress> onReset) {
        this.slots = new ConnectionSlots(maxConnections, open);
        this.open = open;
        this.guards = guards;
        this.onRefused = onRefused;
        this.onEvicted = onEvicted;
        this.resets = new PeerReset(onReset);
    }

    /**
     * Puts one guard on the listening sockets of a port, in place of the one a previous start of the application
     * left there (dev mode), counting on from that one's count.
     */
    static AcceptGuard install(List<ServerChannel> listening, int maxConnections,
            Function<ConnectionSlots.Slot, ConnectionGuard> guards, Consumer<InetAddress> onRefused,
            Consumer<InetAddress> onEvicted, Consumer<InetAddress> onReset) {
        listening.get(0).attr(OPEN_CONNECTIONS).setIfAbsent(new AtomicInteger());
        AtomicInteger open = listening.get(0).attr(OPEN_CONNECTIONS).get();
        AcceptGuard guard = new AcceptGuard(maxConnections, open, guards, onRefused, onEvicted, onReset);
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
        if (PeerReset.already(connection)) {
            resets.closedAtAccept(connection);
            connection.unsafe().closeForcibly();
            return;
        }
        ConnectionSlots.Admission admission = slots.admit(connection, System.nanoTime());
        if (admission.slot() == null) {
            // Not registered with an event loop yet: closed the way Netty closes a connection it cannot register.
            connection.unsafe().closeForcibly();
            onRefused.accept(admission.address());
            return;
        }
        ConnectionSlots.Slot slot = admission.slot();
        // A connection that is set up frees its slot once it is off its event loop (Slot.gone); one closed before.
        connection.closeFuture().addListener(closed -> {
            if (!connection.isRegistered()) {
                slot.gone();
            }
        });
        connection.config().setWriteBufferWaterMark(UNREAD_ANSWERS);
        connection.pipeline().addFirst(PeerReset.NAME, resets);
        guards.apply(slot).addTo(connection.pipeline());
        ctx.fireChannelRead(connection);
        ConnectionSlots.Slot evicted = admission.evicted();
        if (evicted != null) {
            // Registered with its event loop long ago: closed there, where it may be waiting for a request.
            evicted.channel().close();
            onEvicted.accept(evicted.address());
        }
    }

    /** From now on, new connections are closed at accept. */
    void stop() {
        stopped = true;
    }

    int open() {
        return open.get();
    }
}
