package org.acme.example.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean closing = new AtomicBoolean();
        Thread closer = new Thread(() -> {
            started.countDown();
            try (listening) {
                TimeUnit.MILLISECONDS.sleep(ConnectionDrain.REFUSAL_WAIT.toMillis() / 5);
                closing.set(true); // before close(): no refusal can be seen earlier
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        closer.start();
        started.await();
        assertTrue(ConnectionDrain.awaitRefusal(List.of(address(listening))));
        assertTrue(closing.get(), "refusal reported while the socket was still open");
        closer.join();
    }

    private static InetSocketAddress address(ServerSocket socket) {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }
}
