package org.acme.example.http;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
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

    /**
     * Header lines a request head may have: a head with more gets 431 and its connection is closed. Netty keeps each
     * header line of a head decoded (about 100 bytes of heap) until the head is complete, and bounds only its size.
     */
    @WithDefault("100")
    int maxHeaderLines();

    /**
     * The memory that the request heads still being received, on every connection of both ports, may hold together
     * (their bytes, and {@value UnfinishedHeads#LINE_COST} bytes per header line): a connection whose unfinished head
     * would pass it gets 503 and is closed. A head that arrives in one read, as almost all do, counts nothing.
     */
    @WithDefault("16M")
    MemorySize unfinishedHeadsMemory();
}
