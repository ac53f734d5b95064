package org.acme.example.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Errors;

/**
 * Connections their clients reset (a close with {@code SO_LINGER} 0), which any client can do as often as it likes:
 * each is closed without a word in the log (at DEBUG), and told to {@code onReset}, which counts them for the
 * {@link DenialLog} of a flood. Before, a reset that reached a connection Vert.x had not fully set up yet (on the
 * management port, a request head cut short) was logged by Netty at WARN with {@code recvAddress(..) failed: Connection
 * reset by peer}, once per connection.
 * <p>
 * A connection already reset when it is accepted is closed at accept ({@link #already}), instead of being set up on an
 * event loop only to find out there: a client that connects and resets at once, as fast as it can, would otherwise
 * queue thousands of set-ups and closes on the event loop, behind which probes wait, and hold slots until their turn
 * comes. The kernel knows: the connection's TCP state is CLOSE. Only the epoll transport can ask it (one
 * {@code getsockopt} per connection); with Java NIO (the native executable) the event loop finds out.
 * <p>
 * One instance per port, first in each connection's pipeline under {@link #NAME} (found by its name, as every hook).
 */
@ChannelHandler.Sharable
final class PeerReset extends ChannelInboundHandlerAdapter {

    static final String NAME = "example.peer-reset";
    private static final Logger LOG = Logger.getLogger(PeerReset.class);
    /** Linux's {@code TCP_CLOSE}, what a connection reset by the peer turns to (include/net/tcp_states.h). */
    private static final int TCP_CLOSE = 7;

    private final Consumer<InetAddress> onReset;

    PeerReset(Consumer<InetAddress> onReset) {
        this.onReset = onReset;
    }

    static boolean already(Channel connection) {
        return connection instanceof EpollSocketChannel epoll && epoll.isOpen() && epoll.tcpInfo().state() == TCP_CLOSE;
    }

    /** A connection closed at accept because it was {@link #already} reset. */
    void closedAtAccept(Channel connection) {
        reset(connection);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!isReset(cause)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        reset(ctx.channel());
        // Netty closes a connection whose read failed; a failed write may leave it open.
        ctx.close();
    }

    private void reset(Channel connection) {
        InetAddress address = connection.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
        LOG.debugf("Connection from %s reset by its client", address);
        if (address != null) {
            onReset.accept(address);
        }
    }

    /** Connection reset, or a write after it (broken pipe): epoll's errors, or the JDK's (Java NIO). */
    static boolean isReset(Throwable cause) {
        if (cause instanceof Errors.NativeIoException e) {
            return e.expectedErr() == Errors.ERRNO_ECONNRESET_NEGATIVE || e.expectedErr() == Errors.ERRNO_EPIPE_NEGATIVE;
        }
        return cause instanceof IOException && cause.getMessage() != null
                && (cause.getMessage().contains("Connection reset") || cause.getMessage().contains("Broken pipe"));
    }
}
