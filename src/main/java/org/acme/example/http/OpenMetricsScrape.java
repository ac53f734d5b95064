package org.acme.example.http;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a scrape of {@code /metrics} in OpenMetrics when the client prefers it, as Prometheus does, so that
 * Prometheus receives the exemplars (trace ids) of the latency histogram; other clients are left to Quarkus' endpoint.
 * <p>
 * Two things stand in the way without this. Quarkus' endpoint answers the classic text format, which has no
 * exemplars, whenever the Accept header mentions {@code text/plain} at all, and Prometheus always lists it (with a
 * lower weight, after OpenMetrics). And Micrometer also attaches exemplars to the {@code _count} of histograms, where
 * the OpenMetrics 1.0 format allows them only on counters' {@code _total} and histograms' {@code _bucket}: Prometheus
 * before 2.43 (Debian's is 2.42) then rejects the whole scrape ("does not support exemplars"). So this serves the
 * registry's OpenMetrics output with the exemplars the format does not allow removed. A client that prefers text
 * ({@code Accept: text/plain}, promtool) still gets text from Quarkus.
 */
@ApplicationScoped
public class OpenMetricsScrape {

    static final String OPENMETRICS = "application/openmetrics-text";
    private static final String EXEMPLAR = " # {";

    private final PrometheusMeterRegistry registry;
    private final String metricsPath;

    OpenMetricsScrape(PrometheusMeterRegistry registry,
            @ConfigProperty(name = "quarkus.micrometer.export.prometheus.path") String metricsPath) {
        this.registry = registry;
        this.metricsPath = metricsPath;
    }

    void register(@Observes ManagementInterface management) {
        management.router().route(HttpMethod.GET, metricsPath).order(Integer.MIN_VALUE).handler(this::scrape);
    }

    private void scrape(RoutingContext context) {
        if (!prefersOpenMetrics(context.request().getHeader(HttpHeaders.ACCEPT))) {
            context.next();
            return;
        }
        context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, TextFormat.CONTENT_TYPE_OPENMETRICS_100)
                .end(withAllowedExemplars(registry.scrape(TextFormat.CONTENT_TYPE_OPENMETRICS_100)));
    }

    /** Whether the media range with the highest weight (the first of equals) is OpenMetrics. */
    static boolean prefersOpenMetrics(String accept) {
        if (accept == null) {
            return false;
        }
        String preferred = null;
        double best = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            double weight = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim();
                if (parameter.startsWith("q=")) {
                    try {
                        weight = Double.parseDouble(parameter.substring(2));
                    } catch (NumberFormatException e) {
                        weight = 0;
                    }
                }
            }
            if (weight > best) {
                best = weight;
                preferred = parts[0].trim();
            }
        }
        return OPENMETRICS.equalsIgnoreCase(preferred);
    }

    /** The exposition with exemplars kept on {@code _bucket} and {@code _total} samples only. */
    static String withAllowedExemplars(String exposition) {
        if (!exposition.contains(EXEMPLAR)) {
            return exposition; // tracing off (the default): no exemplars, nothing to copy
        }
        StringBuilder result = new StringBuilder(exposition.length());
        int start = 0;
        while (start < exposition.length()) {
            int end = exposition.indexOf('\n', start);
            end = end < 0 ? exposition.length() : end + 1;
            String line = exposition.substring(start, end);
            int exemplar = line.lastIndexOf(EXEMPLAR);
            if (exemplar > 0 && !line.startsWith("#") && !allowsExemplar(line)) {
                result.append(line, 0, exemplar).append(line.endsWith("\n") ? "\n" : "");
            } else {
                result.append(line);
            }
            start = end;
        }
        return result.toString();
    }

    private static boolean allowsExemplar(String sample) {
        int nameEnd = sample.indexOf('{');
        if (nameEnd < 0) {
            nameEnd = sample.indexOf(' ');
        }
        String name = sample.substring(0, nameEnd);
        return name.endsWith("_bucket") || name.endsWith("_total");
    }
}
