package org.acme.example.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The check that a closed listening socket really refuses connections before held requests are let through. */
class ConnectionDrainTest {

    @Test
    void aListeningSocketIsNotRefusal() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertFalse(ConnectionDrain.awaitRefusal(List.of(address(listening))));
        }
    }

    @Test
    void aListenerOnAllInterfacesIsProbedOnLoopback() throws Exception {
        try (ServerSocket listening = new ServerSocket(0)) {
            InetSocketAddress anyAddress = new InetSocketAddress(listening.getLocalPort());
            assertTrue(anyAddress.getAddress().isAnyLocalAddress());
            assertFalse(ConnectionDrain.awaitRefusal(List.of(anyAddress)));
        }
    }

    @Test
    void aClosedSocketIsRefusal() throws Exception {
        InetSocketAddress address;
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            address = address(listening);
        }
        assertTrue(ConnectionDrain.awaitRefusal(List.of(address)));
    }

    @Test
    void waitsForASocketThatClosesLate() throws Exception {
        ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
            try (listening) {
                TimeUnit.MILLISECONDS.sleep(ConnectionDrain.REFUSAL_WAIT.toMillis() / 5);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(ConnectionDrain.awaitRefusal(List.of(address(listening))));
        assertTrue(closed.isDone(), "refusal reported while the socket was still open");
    }

    private static InetSocketAddress address(ServerSocket socket) {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }
}
