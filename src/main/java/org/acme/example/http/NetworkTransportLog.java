package org.acme.example.http;

import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Says at start-up which network transport serves the ports. Without Netty's native library for the platform, Vert.x
 * falls back to Java NIO silently, and the service then spends more CPU per request with nothing else showing why.
 * A native executable always uses Java NIO: Quarkus (3.33) substitutes Vert.x's native transport with the JDK's in
 * native executables, so there it is news, not a warning.
 */
@ApplicationScoped
class NetworkTransportLog {

    static final String PREFER_NATIVE = "quarkus.vertx.prefer-native-transport";
    private static final Logger LOG = Logger.getLogger(NetworkTransportLog.class);

    private final boolean nativePreferred;

    NetworkTransportLog(@ConfigProperty(name = PREFER_NATIVE, defaultValue = "false") boolean nativePreferred) {
        this.nativePreferred = nativePreferred;
    }

    void log(@Observes StartupEvent started, Vertx vertx) {
        Line line = describe(vertx.isNativeTransportEnabled(), nativePreferred, ImageMode.current() == ImageMode.NATIVE_RUN,
                System.getProperty("os.name", "").startsWith("Linux"), vertx.unavailableNativeTransportCause());
        LOG.log(line.level(), line.message());
    }

    /** The start-up line for the transport Vert.x chose, where the service runs. */
    static Line describe(boolean nativeTransport, boolean nativePreferred, boolean nativeExecutable, boolean linux,
            Throwable unavailableCause) {
        if (nativeTransport) {
            return new Line(Logger.Level.INFO, "Network transport: native (epoll)");
        }
        if (!nativePreferred) {
            return new Line(Logger.Level.INFO, "Network transport: Java NIO (" + PREFER_NATIVE + "=false)");
        }
        if (nativeExecutable) {
            return new Line(Logger.Level.INFO,
                    "Network transport: Java NIO (a native executable: Quarkus builds it without Netty's native transports)");
        }
        // A warning where the project ships the library (Linux), news elsewhere (e.g. dev mode on macOS).
        return new Line(linux ? Logger.Level.WARN : Logger.Level.INFO, "Network transport: Java NIO, although "
                + PREFER_NATIVE + "=true: "
                + (unavailableCause != null ? unavailableCause.getMessage() : "no Netty native transport for this platform"));
    }

    record Line(Logger.Level level, String message) {
    }
}
