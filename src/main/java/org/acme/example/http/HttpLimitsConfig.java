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
}
