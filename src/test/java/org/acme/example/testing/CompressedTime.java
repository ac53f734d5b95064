package org.acme.example.testing;

import org.acme.example.fault.FaultJson;
import org.acme.example.fault.scenario.Scenario;

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

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The shipped alerting setup on a faster clock, for end-to-end tests that cannot wait an hour: copies of the shipped
 * rule files, Alertmanager configuration and scenarios in which every duration is divided by a factor (range
 * selectors, {@code for}, Alertmanager's group timings, scenario steps). The copies are made from the shipped files at
 * each run, never kept: those stay the one source, and promtool proves their real timings.
 */
public final class CompressedTime {

    /** A Prometheus duration, e.g. 5m, 1h30m, 500ms. */
    private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:ms|[smhdwy]))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|[smhdwy])");
    private static final Pattern RANGE = Pattern.compile("\\[([^\\]]*)\\]");
    private static final List<String> ROUTE_TIMINGS = List.of("group_wait", "group_interval", "repeat_interval");

    private final int factor;

    public CompressedTime(int factor) {
        this.factor = factor;
    }

    public Duration of(Duration real) {
        return real.dividedBy(factor);
    }

    /** Copies of the rule files in {@code dir}, with each range selector and each {@code for} divided. */
    @SuppressWarnings("unchecked")
    public List<Path> rules(List<Path> ruleFiles, Path dir) {
        List<Path> copies = new ArrayList<>();
        for (Path file : ruleFiles) {
            Map<String, Object> yaml = load(file);
            for (Map<String, Object> group : (List<Map<String, Object>>) yaml.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    rule.put("expr", ranges((String) rule.get("expr")));
                    if (rule.containsKey("for")) {
                        rule.put("for", format(of(parse((String) rule.get("for")))));
                    }
                }
            }
            copies.add(dump(yaml, dir.resolve(file.getFileName())));
        }
        return copies;
    }

    /** Every range selector of a PromQL expression divided; a subquery ([1h:5m]) or anything else is refused. */
    String ranges(String expr) {
        Matcher range = RANGE.matcher(expr);
        StringBuilder compressed = new StringBuilder();
        while (range.find()) {
            if (!DURATION.matcher(range.group(1)).matches()) {
                throw new IllegalArgumentException("not a range selector this can compress: " + range.group() + " in " + expr);
            }
            range.appendReplacement(compressed, "[" + format(of(parse(range.group(1)))) + "]");
        }
        range.appendTail(compressed);
        return compressed.toString();
    }

    /**
     * A copy of an Alertmanager configuration in {@code dir}, with the group timings of every route divided, and every
     * webhook URL's scheme, host and port replaced by {@code receiverUrl} (its path kept).
     */
    @SuppressWarnings("unchecked")
    public Path alertmanagerConfig(Path config, Path dir, String receiverUrl) {
        Map<String, Object> yaml = load(config);
        compressRoute((Map<String, Object>) yaml.get("route"));
        for (Map<String, Object> receiver : (List<Map<String, Object>>) yaml.get("receivers")) {
            for (Map<String, Object> webhook : (List<Map<String, Object>>) receiver.getOrDefault("webhook_configs", List.of())) {
                webhook.put("url", ((String) webhook.get("url")).replaceFirst("^https?://[^/]+", receiverUrl));
            }
        }
        return dump(yaml, dir.resolve(config.getFileName()));
    }

    @SuppressWarnings("unchecked")
    private void compressRoute(Map<String, Object> route) {
        for (String timing : ROUTE_TIMINGS) {
            if (route.containsKey(timing)) {
                route.put(timing, format(of(parse((String) route.get(timing)))));
            }
        }
        for (Map<String, Object> child : (List<Map<String, Object>>) route.getOrDefault("routes", List.of())) {
            compressRoute(child);
        }
    }

    /** The body of PUT /fault/scenario that runs {@code scenario}'s steps, each for its duration divided. */
    public JsonObject scenario(Scenario scenario) {
        JsonArray steps = new JsonArray();
        scenario.steps().forEach(step -> steps.add(FaultJson.write(step.change(), of(step.duration()))));
        return new JsonObject().put("steps", steps);
    }

    static Duration parse(String text) {
        if (!DURATION.matcher(text).matches()) {
            throw new IllegalArgumentException("not a Prometheus duration: " + text);
        }
        Duration duration = Duration.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            long n = Long.parseLong(part.group(1));
            duration = duration.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                case "w" -> Duration.ofDays(7 * n);
                default -> Duration.ofDays(365 * n);
            });
        }
        return duration;
    }

    /** In whole seconds where it can be, else milliseconds: both Prometheus and Alertmanager read either. */
    static String format(Duration duration) {
        if (duration.toMillis() < 1) {
            throw new IllegalArgumentException("compressed below a millisecond: " + duration);
        }
        long ms = duration.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static Map<String, Object> load(Path file) {
        try {
            return new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path dump(Map<String, Object> yaml, Path file) {
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, new Yaml(block).dump(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
