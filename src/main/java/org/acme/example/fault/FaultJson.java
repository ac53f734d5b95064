package org.acme.example.fault;

import org.acme.example.InvalidSetting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The JSON form of fault settings, shared by {@code PUT /fault}, the fault file and scenario steps: the same fields,
 * read the same way, each checked by its rule in {@link FaultRules}.
 */
public final class FaultJson {

    public static final String FAILURE_RATE = "failureRate";
    public static final String FAILURE_STATUSES = "failureStatuses";
    public static final String LATENCY_MIN = "latencyMinMs";
    public static final String LATENCY_MAX = "latencyMaxMs";
    public static final String READY = "ready";
    public static final String LIVE = "live";
    /** How long a change lasts ({@code PUT /fault}, scenario steps); not in the fault file. */
    public static final String FOR = "for";
    private static final List<String> SETTINGS = List.of(FAILURE_RATE, FAILURE_STATUSES, LATENCY_MIN, LATENCY_MAX,
            READY, LIVE);

    /** Whether a JSON object may, or must, say how long its change lasts. */
    public enum For {
        FORBIDDEN, OPTIONAL, REQUIRED
    }

    /** A change, and how long it lasts (null: until something else changes it). */
    public record Timed(FaultChange change, Duration duration) {
    }

    private FaultJson() {
    }

    /**
     * Parses a request body or file content that must be one JSON object.
     *
     * @param text null for an empty body
     * @param what what the text is, for the message: "the body", "the file"
     * @throws IllegalArgumentException saying so
     */
    public static JsonObject object(String text, String what) {
        try {
            Object value = text == null ? null : Json.decodeValue(text); // an empty body has no text
            if (value instanceof JsonObject object) {
                return object;
            }
        } catch (DecodeException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " must be a JSON object such as {\"" + FAILURE_RATE + "\": 0.5}");
    }

    /**
     * Reads the fields of one change; unknown fields and values outside their rule are rejected.
     *
     * @param prefix put before field names in messages, e.g. {@code "steps[2]."}
     */
    public static Timed read(JsonObject json, String prefix, For duration) {
        List<String> allowed = new ArrayList<>(SETTINGS);
        if (duration != For.FORBIDDEN) {
            allowed.add(FOR);
        }
        for (String field : json.fieldNames()) {
            if (!allowed.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + prefix + field + "': allowed fields are "
                        + String.join(", ", allowed.subList(0, allowed.size() - 1)) + " and " + allowed.get(allowed.size() - 1));
            }
        }
        if (duration == For.REQUIRED && !json.containsKey(FOR)) {
            throw new IllegalArgumentException(prefix + FOR + " is missing: how long the step lasts, e.g. \"30s\"");
        }
        FaultChange change = new FaultChange(
                json.containsKey(FAILURE_RATE) ? failureRate(json, prefix) : null,
                json.containsKey(FAILURE_STATUSES) ? statusMix(json, prefix) : null,
                json.containsKey(LATENCY_MIN) ? latency(json, prefix, LATENCY_MIN) : null,
                json.containsKey(LATENCY_MAX) ? latency(json, prefix, LATENCY_MAX) : null,
                json.containsKey(READY) ? bool(json, prefix, READY) : null,
                json.containsKey(LIVE) ? bool(json, prefix, LIVE) : null);
        Duration lasts = null;
        if (json.containsKey(FOR)) {
            Object value = json.getValue(FOR);
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException(
                        InvalidSetting.message(prefix + FOR, Json.encode(value), FaultRules.FAULT_DURATION_RANGE));
            }
            lasts = FaultRules.parseFaultDuration(prefix + FOR, text);
        }
        return new Timed(change, lasts);
    }

    private static double number(JsonObject json, String prefix, String field, String range) {
        Object value = json.getValue(field);
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new IllegalArgumentException(InvalidSetting.message(prefix + field, Json.encode(value), range));
    }

    private static double failureRate(JsonObject json, String prefix) {
        return FaultRules.failureRate(prefix + FAILURE_RATE,
                number(json, prefix, FAILURE_RATE, FaultRules.FAILURE_RATE_RANGE), Json.encode(json.getValue(FAILURE_RATE)));
    }

    private static long latency(JsonObject json, String prefix, String field) {
        return FaultRules.latencyMs(prefix + field, number(json, prefix, field, FaultRules.LATENCY_RANGE),
                Json.encode(json.getValue(field)));
    }

    private static boolean bool(JsonObject json, String prefix, String field) {
        Object value = json.getValue(field);
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw new IllegalArgumentException(InvalidSetting.message(prefix + field, Json.encode(value), "true or false"));
    }

    private static StatusMix statusMix(JsonObject json, String prefix) {
        Object value = json.getValue(FAILURE_STATUSES);
        String shown = Json.encode(value);
        if (!(value instanceof JsonObject weights)) {
            throw new IllegalArgumentException(
                    InvalidSetting.message(prefix + FAILURE_STATUSES, shown, FaultRules.STATUS_MIX_RANGE));
        }
        Map<String, Object> map = weights.getMap();
        for (Object weight : map.values()) {
            if (!(weight instanceof Number)) { // text weights are only for the configuration's form
                throw new IllegalArgumentException(
                        InvalidSetting.message(prefix + FAILURE_STATUSES, shown, FaultRules.STATUS_MIX_RANGE));
            }
        }
        return FaultRules.statusMix(prefix + FAILURE_STATUSES, map, shown);
    }

    /** Every setting, with the field names {@code PUT /fault} takes. */
    public static JsonObject write(FaultSettings settings) {
        return new JsonObject()
                .put(FAILURE_RATE, settings.failureRate())
                .put(FAILURE_STATUSES, write(settings.failureStatuses()))
                .put(LATENCY_MIN, settings.latencyMinMs())
                .put(LATENCY_MAX, settings.latencyMaxMs())
                .put(READY, settings.ready())
                .put(LIVE, settings.live());
    }

    /** Only the settings a change sets, and how long it lasts (scenario steps). */
    public static JsonObject write(FaultChange change, Duration duration) {
        JsonObject json = new JsonObject();
        if (duration != null) {
            json.put(FOR, duration(duration));
        }
        if (change.failureRate() != null) {
            json.put(FAILURE_RATE, change.failureRate());
        }
        if (change.failureStatuses() != null) {
            json.put(FAILURE_STATUSES, write(change.failureStatuses()));
        }
        if (change.latencyMinMs() != null) {
            json.put(LATENCY_MIN, change.latencyMinMs());
        }
        if (change.latencyMaxMs() != null) {
            json.put(LATENCY_MAX, change.latencyMaxMs());
        }
        if (change.ready() != null) {
            json.put(READY, change.ready());
        }
        if (change.live() != null) {
            json.put(LIVE, change.live());
        }
        return json;
    }

    private static JsonObject write(StatusMix mix) {
        JsonObject json = new JsonObject();
        mix.weights().forEach((status, weight) -> json.put(String.valueOf(status),
                weight == Math.rint(weight) && weight < 1e15 ? (Object) weight.longValue() : weight));
        return json;
    }

    /** A duration the way {@code for} takes it: {@code 90s}, {@code 5m}, {@code 250ms}. */
    public static String duration(Duration duration) {
        long ms = duration.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
