package org.acme.example.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /metrics} in the classic Prometheus text format, parsed into samples.
 */
public final class ScrapedMetrics {

    /** One line: name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(15);

    private final String text;
    private final List<Sample> samples;

    private ScrapedMetrics(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    public static ScrapedMetrics scrape(PackagedApp app) {
        return scrape(URI.create(app.managementUrl() + "/metrics"));
    }

    /** @param metrics the full URL of {@code /metrics}, e.g. a test's {@code @TestHTTPResource} */
    public static ScrapedMetrics scrape(URL metrics) {
        return scrape(URI.create(metrics.toString()));
    }

    private static ScrapedMetrics scrape(URI metrics) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(metrics)
                .header("Accept", "text/plain; version=0.0.4")
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("/metrics answered " + response.statusCode());
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("could not scrape " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Scrapes until the sample reaches {@code expected} (or 15 s passed) and returns that scrape: the server
     * records a request once its answer is written, which can be just after the client read it.
     */
    public static ScrapedMetrics awaitValue(PackagedApp app, String name, Map<String, String> labels,
            double expected) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            ScrapedMetrics metrics = scrape(app);
            if (metrics.value(name, labels) >= expected || System.nanoTime() > deadline) {
                return metrics;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static ScrapedMetrics parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalStateException("not a sample line: " + line);
            }
            samples.add(new Sample(sample.group(1), labels(sample.group(2)), Double.parseDouble(sample.group(3))));
        }
        return new ScrapedMetrics(text, samples);
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text != null) {
            Matcher label = LABEL.matcher(text);
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
        }
        return labels;
    }

    public String text() {
        return text;
    }

    /** Every sample of a name (exact). */
    public List<Sample> samples(String name) {
        return samples.stream().filter(sample -> sample.name().equals(name)).toList();
    }

    /**
     * The value of a series written as in PromQL, e.g. {@code example_requests_total{outcome="error"}}, with
     * exactly these labels.
     *
     * @throws AssertionError if the scrape has no such series
     */
    public double require(String series) {
        Matcher selector = SAMPLE.matcher(series + " 0");
        if (!selector.matches()) {
            throw new IllegalArgumentException("not a series: " + series);
        }
        Map<String, String> wanted = labels(selector.group(2));
        return samples(selector.group(1)).stream()
                .filter(sample -> sample.labels().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series + " in the scrape"))
                .value();
    }

    /** The value of the one sample of {@code name} whose labels include {@code labels}; 0 if there is none. */
    public double value(String name, Map<String, String> labels) {
        List<Sample> matching = samples(name).stream()
                .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
        if (matching.size() > 1) {
            throw new IllegalStateException(matching.size() + " samples of " + name + " match " + labels);
        }
        return matching.isEmpty() ? 0 : matching.get(0).value();
    }
}
