package org.acme.example.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Keeps {@code http_server_requests_seconds} to a fixed, small set of series whatever clients send.
 * <p>
 * Quarkus tags a request with its route template, or {@code NOT_FOUND} for a 404, but a request that Vert.x
 * rejects before routing (a 400 for a bad escape or a NUL byte, a 414, a 431) is tagged with its raw path, and the
 * {@code method} tag takes any token a client invents. Each distinct value is a new series kept for the life of
 * the process, so a scanner could grow the registry without bound. This filter maps every {@code uri} outside
 * {@link #KNOWN_URIS} to {@code UNKNOWN} and every non-standard method to {@code OTHER}.
 * {@code quarkus.micrometer.binder.http-server.max-uri-tags} stays as a second safety net.
 * <p>
 * It also leaves the health probes out ({@link #PROBE_URIS}): they are polled every few seconds and would drown
 * {@code /example}. This is decided once per series, when the meter is first looked up, where Quarkus' ignore
 * patterns ({@code quarkus.micrometer.binder.http-server.ignore-patterns}) match every pattern against the path of
 * every request: 2 % of an {@code /example} request's CPU time in a profile.
 */
public class HttpServerTagLimits {

    static final String HTTP_SERVER_REQUESTS = "http.server.requests";
    static final String UNKNOWN_URI = "UNKNOWN";
    static final String OTHER_METHOD = "OTHER";

    /**
     * Every {@code uri} value the service can legitimately produce: its endpoints ({@code /example} on the main
     * port, {@code /metrics}, the fault control and {@code /traffic} endpoints on the management port) and the
     * values Quarkus uses for an unmatched request ({@code NOT_FOUND}), a redirect and {@code /}. Add new endpoints
     * (their route templates) here, or they are reported as {@code UNKNOWN}.
     */
    public static final Set<String> KNOWN_URIS = Set.of(
            "/example", "/metrics", "/fault", "/fault/scenario", "/fault/scenarios", "/traffic",
            "NOT_FOUND", "REDIRECTION", "root");

    /** The health endpoints' {@code uri} values: the probes, and the aggregate with its groups under it. */
    static final Set<String> PROBE_URIS = Set.of("/live", "/ready", "/started", "/health");
    private static final String HEALTH_GROUPS = "/health/";

    /** The methods of RFC 9110 and PATCH; everything else is a client's invention. */
    public static final Set<String> KNOWN_METHODS = Set.of(
            "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    @Produces
    @Singleton
    MeterFilter boundHttpServerTags() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().equals(HTTP_SERVER_REQUESTS)) {
                    return id;
                }
                String uri = id.getTag("uri");
                String method = id.getTag("method");
                boolean uriKnown = uri == null || KNOWN_URIS.contains(uri) || isProbe(uri);
                boolean methodKnown = method == null || KNOWN_METHODS.contains(method);
                if (uriKnown && methodKnown) {
                    return id;
                }
                List<Tag> tags = new ArrayList<>();
                for (Tag tag : id.getTagsAsIterable()) {
                    tags.add(bound(tag, uriKnown, methodKnown));
                }
                return id.replaceTags(tags);
            }

            @Override
            public MeterFilterReply accept(Meter.Id id) {
                boolean probe = id.getName().equals(HTTP_SERVER_REQUESTS) && isProbe(id.getTag("uri"));
                return probe ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }
        };
    }

    private static boolean isProbe(String uri) {
        return uri != null && (PROBE_URIS.contains(uri) || uri.startsWith(HEALTH_GROUPS));
    }

    private static Tag bound(Tag tag, boolean uriKnown, boolean methodKnown) {
        if (!uriKnown && tag.getKey().equals("uri")) {
            return Tag.of("uri", UNKNOWN_URI);
        }
        if (!methodKnown && tag.getKey().equals("method")) {
            return Tag.of("method", OTHER_METHOD);
        }
        return tag;
    }
}
