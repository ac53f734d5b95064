package org.acme.example.saturation;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Closes a request's connection with a TCP reset instead of an answer: {@code SO_LINGER} 0, then close, makes the
 * kernel send RST and drop what is unsent, as a crashed peer or a middlebox does. Vert.x's own {@code close()} sends
 * a FIN (an orderly end), which clients see as an early end of the answer, not a reset.
 */
final class ConnectionReset {

    private ConnectionReset() {
    }

    /** @return false when the connection is not a Netty channel of Vert.x (then it is left alone) */
    static boolean reset(HttpServerRequest request) {
        if (!(request.connection() instanceof ConnectionBase connection)) {
            return false;
        }
        Channel channel = connection.channel();
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
        return true;
    }
}
