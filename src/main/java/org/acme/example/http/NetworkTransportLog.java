package org.acme.example.http;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Says at start-up which network transport serves the ports. Without Netty's native library for the platform, Vert.x
 * falls back to Java NIO silently, and the service then spends more CPU per request with nothing else showing why.
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
        if (vertx.isNativeTransportEnabled()) {
            LOG.info("Network transport: native (epoll)");
        } else if (!nativePreferred) {
            LOG.infof("Network transport: Java NIO (%s=false)", PREFER_NATIVE);
        } else {
            // A warning where the project ships the library (Linux), news elsewhere (e.g. dev mode on macOS).
            boolean linux = System.getProperty("os.name", "").startsWith("Linux");
            Throwable cause = vertx.unavailableNativeTransportCause();
            LOG.logf(linux ? Logger.Level.WARN : Logger.Level.INFO, "Network transport: Java NIO, although %s=true: %s",
                    PREFER_NATIVE, cause != null ? cause.getMessage() : "no Netty native transport for this platform");
        }
    }
}
