package org.acme.example.http;

import java.net.InetAddress;
import java.util.function.Consumer;
import java.util.function.Function;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;

/**
 * On a listening socket: gives each new connection a {@link ConnectionSlots slot} (at a full port, one taken from an
 * idle connection, which is closed), or closes it at once when there is none, before anything is read from it; and
 * puts a {@link ConnectionGuard} in front of every connection it lets through, with a small bound on the answers it
 * may leave unread.
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

    private final ConnectionSlots slots;
    /** Whether Quarkus also limits this port's connections (quarkus.http.limits.max-connections set). */
    private final boolean quarkusCountsToo;
    private final Function<ConnectionSlots.Slot, ConnectionGuard> guards;
    private final Consumer<InetAddress> onRefused;
    private final Consumer<InetAddress> onEvicted;
    private volatile boolean stopped;

    /**
     * @param quarkusCountsToo whether Quarkus applies the same maximum by itself, counting a connection until Vert.x
     *        has seen it close
     * @param onRefused told the address of each connection refused because the port was full
     * @param onEvicted told the address of each idle connection closed to make room for a new one
     */
    AcceptGuard(int maxConnections, boolean quarkusCountsToo, Function<ConnectionSlots.Slot, ConnectionGuard> guards,
            Consumer<InetAddress> onRefused, Consumer<InetAddress> onEvicted) {
        this.slots = new ConnectionSlots(maxConnections);
        this.quarkusCountsToo = quarkusCountsToo;
        this.guards = guards;
        this.onRefused = onRefused;
        this.onEvicted = onEvicted;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel connection = (Channel) msg;
        if (stopped) {
            connection.unsafe().closeForcibly();
            return;
        }
        if (PeerReset.already(connection)) {
            connection.unsafe().closeForcibly();
            return;
        }
        ConnectionSlots.Admission admission = slots.admit(connection, System.nanoTime());
        if (admission.slot() == null) {
            InetAddress address = admission.address();
            // Not registered with an event loop yet: closed the way Netty closes a connection it cannot register.
            connection.unsafe().closeForcibly();
            onRefused.accept(address);
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
        connection.pipeline().addFirst(guards.apply(slot).front());
        ConnectionSlots.Slot evicted = admission.evicted();
        if (evicted == null || !quarkusCountsToo) {
            slot.ready();
            ctx.fireChannelRead(connection);
        } else {
            // Quarkus closes a new connection while it counts the maximum: hand the newcomer on only once the
            // connection it replaces is closed and Vert.x has seen it close.
            evicted.whenGone(() -> ctx.executor().execute(() -> {
                slot.ready();
                ctx.fireChannelRead(connection);
            }));
        }
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
        return slots.open();
    }
}
