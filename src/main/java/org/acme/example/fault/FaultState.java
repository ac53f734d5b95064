package org.acme.example.fault;

import org.acme.example.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where the fault settings come from at one moment, in three layers, each above the one before, field by field:
 * <ol>
 * <li>the <b>baseline</b>: the configuration, with the fault file's fields on top when one is in force;</li>
 * <li>the current step of a running <b>scenario</b>: the fields the step sets, until the step ends;</li>
 * <li>the <b>overrides</b> of {@code PUT /fault}: each field with its own end (or none) and who set it.</li>
 * </ol>
 * Immutable: the policy swaps whole states, so a request always reads one consistent snapshot.
 *
 * @param scenario the running scenario, null when none runs
 * @param overrides by JSON field name; empty when there are none
 */
public record FaultState(FaultSettings baseline, String baselineSource, Run scenario, Map<String, Held> overrides) {

    public static final String CONFIGURATION = "configuration";
    public static final String FILE = "file";
    public static final String SCENARIO = "scenario";
    public static final String OVERRIDE = "override";

    public FaultState {
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides)); // in the order they were set
    }

    /** The settings requests see now: the layers, one on top of the other. */
    public FaultSettings effective() {
        FaultSettings settings = scenario == null ? baseline : scenario.change().overlay(baseline);
        for (Held held : overrides.values()) {
            settings = held.change().overlay(settings);
        }
        return settings;
    }

    /** The highest layer in force: override, scenario, or the baseline's source (configuration or file). */
    public String source() {
        return !overrides.isEmpty() ? OVERRIDE : scenario != null ? SCENARIO : baselineSource;
    }

    /** Where the value of one JSON field comes from now. */
    public String sourceOf(String field) {
        if (overrides.containsKey(field)) {
            return OVERRIDE;
        }
        return scenario != null && scenario.change().sets(field) ? SCENARIO : baselineSource;
    }

    /** When the baseline alone applies again; null when it does now, or when something holds until removed. */
    public Instant baselineAgainAt() {
        List<Instant> ends = new ArrayList<>();
        for (Held held : overrides.values()) {
            if (held.endsAt() == null) {
                return null;
            }
            ends.add(held.endsAt());
        }
        if (scenario != null) {
            ends.add(scenario.endsAt());
        }
        return ends.stream().max(Comparator.naturalOrder()).orElse(null);
    }

    /** The next moment something ends by itself (an override, a scenario's step); null if nothing will. */
    Instant nextEnd() {
        return Stream.concat(overrides.values().stream().map(Held::endsAt),
                        Stream.of(scenario == null ? null : scenario.stepEndsAt()))
                .filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
    }

    /** For logs: where the current settings come from, in words. */
    public String describeSource() {
        List<String> layers = new ArrayList<>();
        if (!overrides.isEmpty()) {
            layers.add("overrides of " + String.join(", ", overrides.keySet()));
        }
        if (scenario != null) {
            layers.add("scenario " + scenario.name() + " (step " + (scenario.step() + 1) + " of " + scenario.steps().size()
                    + ", started by " + scenario.by() + ")");
        }
        layers.add("the " + (FILE.equals(baselineSource) ? "fault file" : "configuration"));
        return String.join(" over ", layers);
    }

    FaultState withBaseline(FaultSettings next, String source) {
        return new FaultState(next, source, scenario, overrides);
    }

    FaultState withScenario(Run next) {
        return new FaultState(baseline, baselineSource, next, overrides);
    }

    FaultState withOverrides(Map<String, Held> next) {
        return new FaultState(baseline, baselineSource, scenario, next);
    }

    /**
     * One field held by {@code PUT /fault}.
     *
     * @param change the one setting (both latency bounds are two fields with the same end)
     * @param endsAt null: until {@code DELETE /fault}, a later change of this field or a restart
     */
    public record Held(FaultChange change, Instant endsAt, String by) {

        /** For logs: "failureRate 0.5 for 30s". */
        String describe(String field, Instant now) {
            return field + " " + FaultJson.write(change, null).getValue(field)
                    + (endsAt == null ? " until DELETE /fault" : " for " + Durations.format(Duration.between(now, endsAt)));
        }
    }

    /** The settings one step of a scenario sets (its latency pair whole), and how long it lasts. */
    public record Step(FaultChange change, Duration duration) {
    }

    /** A running scenario: its current step ends at {@code stepEndsAt}; after the last one the layer is gone. */
    public record Run(String name, List<Step> steps, int step, Instant stepEndsAt, String by) {

        static Run start(String name, List<Step> steps, Instant now, String by) {
            return new Run(name, List.copyOf(steps), 0, now.plus(steps.get(0).duration()), by);
        }

        /** The next step, starting when this one was due to end; null after the last one. */
        Run next() {
            if (step + 1 >= steps.size()) {
                return null;
            }
            return new Run(name, steps, step + 1, stepEndsAt.plus(steps.get(step + 1).duration()), by);
        }

        public FaultChange change() {
            return steps.get(step).change();
        }

        /** When the last step ends. */
        public Instant endsAt() {
            Instant end = stepEndsAt;
            for (Step later : steps.subList(step + 1, steps.size())) {
                end = end.plus(later.duration());
            }
            return end;
        }
    }
}
