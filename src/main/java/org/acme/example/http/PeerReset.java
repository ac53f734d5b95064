package org.acme.example.http;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;

/**
 * Whether a connection just accepted was already reset by its client, so that it is closed at accept instead of
 * being set up on an event loop only to find out there. A client that connects and resets at once, as fast as it can,
 * would otherwise queue thousands of set-ups and closes on the event loop, behind which probes wait, and hold slots
 * until their turn comes. The kernel knows: the connection's TCP state is CLOSE. Only the epoll transport can ask
 * it (one {@code getsockopt} per connection); with Java NIO (the native executable) the event loop finds out.
 */
final class PeerReset {

    /** Linux's {@code TCP_CLOSE}, what a connection reset by the peer turns to (include/net/tcp_states.h). */
    private static final int TCP_CLOSE = 7;

    private PeerReset() {
    }

    static boolean already(Channel connection) {
        return connection instanceof EpollSocketChannel epoll && epoll.isOpen() && epoll.tcpInfo().state() == TCP_CLOSE;
    }
}
