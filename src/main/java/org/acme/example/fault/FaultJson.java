package org.acme.example.fault;

import org.acme.example.Durations;
import org.acme.example.InvalidSetting;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The JSON form of fault settings, shared by {@code PUT /fault}, the fault file and scenario steps: the same fields,
 * read the same way. The parse only turns each field into its type (a duration with a unit, a number, a flag); the
 * values are then checked once, by {@link FaultRules#check}.
 */
public final class FaultJson {

    public static final String FAILURE_RATE = "failureRate";
    public static final String FAILURE_STATUSES = "failureStatuses";
    public static final String LATENCY_MIN = "latencyMin";
    public static final String LATENCY_MAX = "latencyMax";
    public static final String READY = "ready";
    public static final String LIVE = "live";
    public static final String REQUEST_FAULTS = "requestFaults";
    public static final String CPU_BURN_CORES = "cpuBurnCores";
    public static final String MEMORY_TARGET = "memoryTarget";
    public static final String MEMORY_RATE = "memoryRate";
    public static final String ALLOW_OOM_KILL = "allowOomKill";
    public static final String HANG_RATE = "hangRate";
    public static final String RESET_RATE = "resetRate";
    public static final String CRASH_AFTER = "crashAfter";
    public static final String CRASH_EXIT_CODE = "crashExitCode";
    /** How long a change lasts ({@code PUT /fault}, scenario steps); not in the fault file. */
    public static final String FOR = "for";
    public static final List<String> SETTINGS = List.of(FAILURE_RATE, FAILURE_STATUSES, LATENCY_MIN, LATENCY_MAX,
            READY, LIVE, REQUEST_FAULTS, CPU_BURN_CORES, MEMORY_TARGET, MEMORY_RATE, ALLOW_OOM_KILL, HANG_RATE, RESET_RATE,
            CRASH_AFTER, CRASH_EXIT_CODE);
    private static final String FLAG_RANGE = "true or false";

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
     * @throws IllegalArgumentException saying what is wrong: empty, not JSON (where), or not an object
     */
    public static JsonObject object(String text, String what) {
        String example = " such as {\"" + FAILURE_RATE + "\": 0.5}";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is empty: it must be a JSON object" + example);
        }
        Object value;
        try {
            value = Json.decodeValue(text);
        } catch (DecodeException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + syntaxError(text));
        }
        if (value instanceof JsonObject object) {
            return object;
        }
        String kind = value instanceof JsonArray ? "an array" : value instanceof String ? "a string"
                : value == null ? "null" : value instanceof Boolean ? "a boolean" : "a number";
        throw new IllegalArgumentException(what + " must be a JSON object" + example + ", got " + kind);
    }

    /** Jackson's own words for the first syntax error in {@code text}, and where it is. */
    private static String syntaxError(String text) {
        try (JsonParser parser = new JsonFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                // read to the error
            }
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage().lines().findFirst().orElse("")
                    .replaceAll("\\[Source: [^;]*; ", "["); // Jackson leaves the source out, and says so
            return message + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        } catch (IOException e) {
            return e.getMessage();
        }
        return "more than one value"; // Vert.x refuses trailing content that Jackson's token stream accepts
    }

    /**
     * Reads the fields of one change; unknown fields, values of the wrong type and values outside their rule are
     * rejected, naming the field.
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
        FaultChange parsed = new FaultChange(
                json.containsKey(FAILURE_RATE) ? number(json, prefix, FAILURE_RATE, FaultRules.FAILURE_RATE_RANGE) : null,
                json.containsKey(FAILURE_STATUSES) ? statusMix(json, prefix) : null,
                json.containsKey(LATENCY_MIN) ? duration(json, prefix, LATENCY_MIN, FaultRules.LATENCY_RANGE) : null,
                json.containsKey(LATENCY_MAX) ? duration(json, prefix, LATENCY_MAX, FaultRules.LATENCY_RANGE) : null,
                json.containsKey(READY) ? flag(json, prefix, READY) : null,
                json.containsKey(LIVE) ? flag(json, prefix, LIVE) : null,
                json.containsKey(REQUEST_FAULTS) ? flag(json, prefix, REQUEST_FAULTS) : null,
                new FaultChange.Saturation(
                        json.containsKey(CPU_BURN_CORES) ? number(json, prefix, CPU_BURN_CORES, SaturationRules.CORES_RANGE) : null,
                        json.containsKey(MEMORY_TARGET) ? SaturationRules.parseSize(prefix + MEMORY_TARGET,
                                text(json, prefix, MEMORY_TARGET, SaturationRules.SIZE_RANGE), SaturationRules.SIZE_RANGE) : null,
                        json.containsKey(MEMORY_RATE) ? SaturationRules.parseRate(prefix + MEMORY_RATE,
                                text(json, prefix, MEMORY_RATE, SaturationRules.RATE_RANGE)) : null,
                        json.containsKey(ALLOW_OOM_KILL) ? flag(json, prefix, ALLOW_OOM_KILL) : null,
                        json.containsKey(HANG_RATE) ? number(json, prefix, HANG_RATE, SaturationRules.SHARE_RANGE) : null,
                        json.containsKey(RESET_RATE) ? number(json, prefix, RESET_RATE, SaturationRules.SHARE_RANGE) : null,
                        json.containsKey(CRASH_AFTER) ? duration(json, prefix, CRASH_AFTER, SaturationRules.CRASH_AFTER_RANGE) : null,
                        json.containsKey(CRASH_EXIT_CODE) ? exitCode(json, prefix) : null));
        Duration lasts = null;
        if (json.containsKey(FOR)) {
            Object value = json.getValue(FOR);
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException(
                        InvalidSetting.message(prefix + FOR, Json.encode(value), FaultRules.FAULT_DURATION_RANGE));
            }
            lasts = FaultRules.parseFaultDuration(prefix + FOR, text);
        }
        return new Timed(FaultRules.check(parsed, prefix), lasts);
    }

    private static double number(JsonObject json, String prefix, String field, String range) {
        return typed(json, prefix, field, Number.class, range).doubleValue();
    }

    private static String text(JsonObject json, String prefix, String field, String range) {
        return typed(json, prefix, field, String.class, range);
    }

    private static int exitCode(JsonObject json, String prefix) {
        return typed(json, prefix, CRASH_EXIT_CODE, Integer.class, SaturationRules.EXIT_CODE_RANGE);
    }

    /** The field's value when it has the JSON type {@code type}; else a message with the field, value and range. */
    private static <T> T typed(JsonObject json, String prefix, String field, Class<T> type, String range) {
        Object value = json.getValue(field);
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw new IllegalArgumentException(InvalidSetting.message(prefix + field, Json.encode(value), range));
    }

    /** A duration with a unit, such as "50ms"; its range is checked later. */
    private static Duration duration(JsonObject json, String prefix, String field, String range) {
        Object value = json.getValue(field);
        if (value instanceof String text) {
            return Durations.parse(prefix + field, text, range);
        }
        throw new IllegalArgumentException(InvalidSetting.message(prefix + field, Json.encode(value), range)
                + (value instanceof Number ? ": a duration is text with a unit, e.g. \"" + value + "ms\"" : ""));
    }

    private static boolean flag(JsonObject json, String prefix, String field) {
        return typed(json, prefix, field, Boolean.class, FLAG_RANGE);
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
        // A mix is one value: its rule checks the statuses and weights together.
        return FaultRules.statusMix(prefix + FAILURE_STATUSES, map, shown);
    }

    /** Every setting, with the field names and forms {@code PUT /fault} takes. */
    public static JsonObject write(FaultSettings settings) {
        return new JsonObject()
                .put(FAILURE_RATE, settings.failureRate())
                .put(FAILURE_STATUSES, write(settings.failureStatuses()))
                .put(LATENCY_MIN, Durations.format(Duration.ofMillis(settings.latencyMinMs())))
                .put(LATENCY_MAX, Durations.format(Duration.ofMillis(settings.latencyMaxMs())))
                .put(READY, settings.ready())
                .put(LIVE, settings.live())
                .put(REQUEST_FAULTS, settings.requestFaults())
                .put(CPU_BURN_CORES, settings.cpuBurnCores())
                .put(MEMORY_TARGET, SaturationRules.formatSize(settings.memoryTargetBytes()))
                .put(MEMORY_RATE, SaturationRules.formatSize(settings.memoryRateBytes()) + "/s")
                .put(ALLOW_OOM_KILL, settings.allowOomKill())
                .put(HANG_RATE, settings.hangRate())
                .put(RESET_RATE, settings.resetRate())
                .put(CRASH_AFTER, settings.crashAfter() == null ? null : Durations.format(settings.crashAfter()))
                .put(CRASH_EXIT_CODE, settings.crashExitCode());
    }

    /** Only the settings a change sets, and how long it lasts (scenario steps). */
    public static JsonObject write(FaultChange change, Duration duration) {
        JsonObject json = new JsonObject();
        if (duration != null) {
            json.put(FOR, Durations.format(duration));
        }
        if (change.failureRate() != null) {
            json.put(FAILURE_RATE, change.failureRate());
        }
        if (change.failureStatuses() != null) {
            json.put(FAILURE_STATUSES, write(change.failureStatuses()));
        }
        if (change.latencyMin() != null) {
            json.put(LATENCY_MIN, Durations.format(change.latencyMin()));
        }
        if (change.latencyMax() != null) {
            json.put(LATENCY_MAX, Durations.format(change.latencyMax()));
        }
        if (change.ready() != null) {
            json.put(READY, change.ready());
        }
        if (change.live() != null) {
            json.put(LIVE, change.live());
        }
        if (change.requestFaults() != null) {
            json.put(REQUEST_FAULTS, change.requestFaults());
        }
        FaultChange.Saturation sat = change.saturation();
        putSet(json, CPU_BURN_CORES, sat.cpuBurnCores());
        putSet(json, MEMORY_TARGET, sat.memoryTarget() == null ? null : SaturationRules.formatSize(sat.memoryTarget()));
        putSet(json, MEMORY_RATE, sat.memoryRate() == null ? null : SaturationRules.formatSize(sat.memoryRate()) + "/s");
        putSet(json, ALLOW_OOM_KILL, sat.allowOomKill());
        putSet(json, HANG_RATE, sat.hangRate());
        putSet(json, RESET_RATE, sat.resetRate());
        putSet(json, CRASH_AFTER, sat.crashAfter() == null ? null : Durations.format(sat.crashAfter()));
        putSet(json, CRASH_EXIT_CODE, sat.crashExitCode());
        return json;
    }

    private static void putSet(JsonObject json, String field, Object value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    private static JsonObject write(StatusMix mix) {
        JsonObject json = new JsonObject();
        mix.weights().forEach((status, weight) -> json.put(String.valueOf(status),
                weight == Math.rint(weight) && weight < 1e15 ? (Object) weight.longValue() : weight));
        return json;
    }
}
