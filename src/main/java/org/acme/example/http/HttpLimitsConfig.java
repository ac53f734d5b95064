package org.acme.example.http;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/** The HTTP limits Quarkus has no setting for, under {@code example.http}. */
@ConfigMapping(prefix = "example.http")
public interface HttpLimitsConfig {

    /**
     * How long a client may take to send a request head, from its first byte: a client that sends its head slower
     * gets 408 and its connection is closed, so slow clients cannot hold connections for long.
     */
    @WithDefault("10s")
    @WithConverter(RequestHeadTimeoutConverter.class)
    Duration requestHeadTimeout();

    /**
     * Connections open at once on the main port; more are closed at accept, before anything is read. Quarkus' own
     * {@code quarkus.http.limits.max-connections} counts a connection only once Vert.x has chosen between HTTP/1.x
     * and h2c (after a complete first request head), and not at all on the management port.
     */
    @WithDefault("512")
    int maxConnections();

    /** The same on the management port. */
    @WithDefault("64")
    int managementMaxConnections();
}
