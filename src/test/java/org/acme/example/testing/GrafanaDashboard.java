package org.acme.example.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The shipped Grafana dashboard (src/main/grafana/), read as Grafana reads it: its panels, every query they and
 * the annotations send, and those queries as Prometheus receives them, once Grafana has replaced the template
 * variables and its interval macros.
 */
public final class GrafanaDashboard {

    public static final Path FILE = Path.of("src", "main", "grafana", "prometheus-example.json");
    /** The one data source reference every query must use: the dashboard's data source variable. */
    public static final String DATASOURCE_UID = "${datasource}";

    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{(\\w+)}|(\\w+))");

    /** One query: where it is (panel title and refId, or annotation name), its PromQL, how Grafana runs it. */
    public record Query(String where, String expr, boolean exemplar, boolean instant) {
    }

    private final JsonObject json;

    private GrafanaDashboard(JsonObject json) {
        this.json = json;
    }

    public static GrafanaDashboard load() {
        try {
            return new GrafanaDashboard(new JsonObject(Files.readString(FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonObject json() {
        return json;
    }

    /** Every panel, rows included, and the panels nested in collapsed rows. */
    public List<JsonObject> panels() {
        List<JsonObject> all = new ArrayList<>();
        for (JsonObject panel : objects(json.getJsonArray("panels"))) {
            all.add(panel);
            all.addAll(objects(panel.getJsonArray("panels", new JsonArray())));
        }
        return all;
    }

    public List<Query> panelQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonObject panel : panels()) {
            for (JsonObject target : objects(panel.getJsonArray("targets", new JsonArray()))) {
                queries.add(new Query(panel.getString("title") + " (" + target.getString("refId") + ")",
                        target.getString("expr"), target.getBoolean("exemplar", false),
                        target.getBoolean("instant", false)));
            }
        }
        return queries;
    }

    /** The annotation queries sent to Prometheus (not Grafana's built-in one). */
    public List<Query> annotationQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonObject annotation : objects(json.getJsonObject("annotations").getJsonArray("list"))) {
            if (annotation.containsKey("expr")) {
                queries.add(new Query("annotation " + annotation.getString("name"), annotation.getString("expr"),
                        false, false));
            }
        }
        return queries;
    }

    public List<JsonObject> variables() {
        return objects(json.getJsonObject("templating").getJsonArray("list"));
    }

    /**
     * The query as Grafana sends it: template variables replaced by their values, and {@code $__interval} and
     * {@code $__rate_interval} computed as Grafana does for a data source scraped every {@code scrapeInterval}
     * (the interval is never below it; the rate interval is the larger of interval + scrape interval and four
     * scrape intervals, so that a rate always has samples). Any other macro fails: the test would not know its value.
     */
    public static String substitute(String expr, Map<String, String> variables, Duration scrapeInterval) {
        Duration interval = scrapeInterval;
        Duration rateInterval = max(interval.plus(scrapeInterval), scrapeInterval.multipliedBy(4));
        Matcher matcher = VARIABLE.matcher(expr);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            String value = switch (name) {
                case "__interval" -> seconds(interval);
                case "__rate_interval" -> seconds(rateInterval);
                default -> {
                    if (!variables.containsKey(name)) {
                        throw new AssertionError("no value for $" + name + " in " + expr);
                    }
                    yield variables.get(name);
                }
            };
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + "s";
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static List<JsonObject> objects(JsonArray array) {
        List<JsonObject> objects = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            objects.add(array.getJsonObject(i));
        }
        return objects;
    }
}
