package org.acme.example;

import org.acme.example.testing.PackagedApp;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The packaged service says at start-up which network transport serves its ports: on the JVM, Netty's epoll where the
 * project ships its library; in a native executable, Java NIO (Quarkus builds native executables without Netty's
 * native transports), said as information, not as a warning. Which of the two runs comes from the build
 * ({@link PackagedApp#isNative()}).
 */
class NetworkTransportIT {

    @Test
    void epollOnLinuxOnTheJvm() {
        assumeTrue(!PackagedApp.isNative(), "a native executable has no native transport");
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && (System.getProperty("os.arch").equals("amd64") || System.getProperty("os.arch").equals("aarch64")),
                "the project ships epoll for Linux x86-64 and ARM64 only");
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            String line = JsonLogIT.awaitLine(app, "Network transport:");
            assertTrue(line.contains("Network transport: native (epoll)"), line);
        }
    }

    @Test
    void nioWithoutAWarningInTheNativeExecutable() {
        assumeTrue(PackagedApp.isNative(), "the jar runs on epoll (epollOnLinuxOnTheJvm)");
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            String line = JsonLogIT.awaitLine(app, "Network transport:");
            assertTrue(line.contains("Network transport: Java NIO (a native executable") && line.contains("\"level\":\"INFO\""),
                    line);
        }
    }

    @Test
    void nioWhenTheNativeTransportIsSwitchedOff() {
        try (PackagedApp app = PackagedApp.start(Map.of("QUARKUS_VERTX_PREFER_NATIVE_TRANSPORT", "false"))) {
            String line = JsonLogIT.awaitLine(app, "Network transport:");
            assertTrue(line.contains("Network transport: Java NIO (quarkus.vertx.prefer-native-transport=false)"), line);
        }
    }
}
