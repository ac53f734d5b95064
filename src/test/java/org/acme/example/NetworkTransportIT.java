package org.acme.example;

import org.acme.example.testing.PackagedApp;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The packaged service runs on Netty's epoll transport where the project ships its library, and says so. */
class NetworkTransportIT {

    @Test
    void epollOnLinux() {
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && (System.getProperty("os.arch").equals("amd64") || System.getProperty("os.arch").equals("aarch64")),
                "the project ships epoll for Linux x86-64 and ARM64 only");
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            String line = JsonLogIT.awaitLine(app, "Network transport:");
            assertTrue(line.contains("Network transport: native (epoll)"), line);
        }
    }

    @Test
    void nioWhenTheNativeTransportIsSwitchedOff() {
        try (PackagedApp app = PackagedApp.start(Map.of("QUARKUS_VERTX_PREFER_NATIVE_TRANSPORT", "false"))) {
            String line = JsonLogIT.awaitLine(app, "Network transport:");
            assertTrue(line.contains("Network transport: Java NIO"), line);
        }
    }
}
