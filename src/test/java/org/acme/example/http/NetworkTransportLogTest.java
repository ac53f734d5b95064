package org.acme.example.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The start-up line about the network transport, for each place the service runs. The native executable's case runs
 * only on a native toolchain as an integration test (NetworkTransportIT with -Dnative); here its wording and level.
 */
class NetworkTransportLogTest {

    @Test
    void epollWhereVertxUsesIt() {
        assertEquals(new NetworkTransportLog.Line(Logger.Level.INFO, "Network transport: native (epoll)"),
                NetworkTransportLog.describe(true, true, false, true, null));
    }

    @Test
    void aNativeExecutableUsesNioAndThatIsNoWarning() {
        NetworkTransportLog.Line line = NetworkTransportLog.describe(false, true, true, true, null);
        assertEquals(Logger.Level.INFO, line.level(), line.message());
        assertEquals("Network transport: Java NIO (a native executable: Quarkus builds it without Netty's native transports)",
                line.message());
    }

    @Test
    void onTheJvmOnLinuxAMissingLibraryIsAWarningWithItsCause() {
        NetworkTransportLog.Line line = NetworkTransportLog.describe(false, true, false, true,
                new UnsatisfiedLinkError("no netty_transport_native_epoll_x86_64"));
        assertEquals(Logger.Level.WARN, line.level());
        assertEquals("Network transport: Java NIO, although quarkus.vertx.prefer-native-transport=true: "
                + "no netty_transport_native_epoll_x86_64", line.message());
    }

    @Test
    void elsewhereItIsNews() {
        assertEquals(Logger.Level.INFO, NetworkTransportLog.describe(false, true, false, false, null).level());
    }

    @Test
    void switchedOffItSaysSo() {
        assertEquals(new NetworkTransportLog.Line(Logger.Level.INFO,
                "Network transport: Java NIO (quarkus.vertx.prefer-native-transport=false)"),
                NetworkTransportLog.describe(false, false, true, true, null));
    }
}
