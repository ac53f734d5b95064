package org.acme.example.fault.scenario;

import org.acme.example.Durations;
import org.acme.example.fault.FaultChange;
import org.acme.example.fault.FaultJson;
import org.acme.example.fault.FaultRules;
import org.acme.example.fault.FaultSettings;
import org.acme.example.fault.FaultState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A list of timed steps, each a change of the fault settings: an incident replayed on a timeline. Each step sets its
 * fields above the baseline (not above the step before), below any override of {@code PUT /fault}; after the last
 * step the baseline applies again.
 *
 * @param fires the shipped alerts it is documented to fire (shipped scenarios only)
 */
public record Scenario(String name, String description, List<String> fires, List<Step> steps) {

    /** The name of a scenario given as a list of steps. */
    public static final String CUSTOM = "custom";

    public record Step(FaultChange change, Duration duration) {
    }

    /** A custom scenario from {@code "steps"} of {@code PUT /fault/scenario}; every step needs {@code for}. */
    public static Scenario custom(Object steps) {
        if (!(steps instanceof JsonArray array) || array.isEmpty() || array.size() > FaultRules.MAX_STEPS) {
            throw new IllegalArgumentException("steps must be a list of 1 to " + FaultRules.MAX_STEPS
                    + " steps such as {\"for\": \"30s\", \"failureRate\": 0.5}");
        }
        List<Step> parsed = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String prefix = "steps[" + i + "].";
            if (!(array.getValue(i) instanceof JsonObject step)) {
                throw new IllegalArgumentException(prefix.substring(0, prefix.length() - 1)
                        + " must be an object such as {\"for\": \"30s\", \"failureRate\": 0.5}");
            }
            FaultJson.Timed timed = FaultJson.read(step, prefix, FaultJson.For.REQUIRED);
            parsed.add(new Step(timed.change(), timed.duration()));
        }
        return new Scenario(CUSTOM, "a list of steps given to PUT /fault/scenario", List.of(), List.copyOf(parsed));
    }

    /**
     * The settings of each step, a latency bound it names paired with the other's value in this baseline.
     *
     * @throws IllegalArgumentException if a step's result is not allowed (min latency above max), naming the step
     */
    public List<FaultState.Step> plan(FaultSettings baseline) {
        List<FaultState.Step> plan = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            plan.add(new FaultState.Step(step.change().withLatencyPair(baseline, "steps[" + i + "]."), step.duration()));
        }
        return plan;
    }

    public Duration duration() {
        return steps.stream().map(Step::duration).reduce(Duration.ZERO, Duration::plus);
    }

    public JsonObject toJson() {
        JsonArray stepsJson = new JsonArray();
        steps.forEach(step -> stepsJson.add(FaultJson.write(step.change(), step.duration())));
        return new JsonObject()
                .put("name", name)
                .put("description", description)
                .put("fires", new JsonArray(fires))
                .put("duration", Durations.format(duration()))
                .put("steps", stepsJson);
    }
}
