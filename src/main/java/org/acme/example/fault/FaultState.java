package org.acme.example.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where the fault settings come from at one moment: the baseline (the configuration, or the fault file on top of
 * it) and, above it, an override ({@code PUT /fault}, or the steps of a scenario) until it ends. Immutable: the
 * policy swaps whole states, so a request always reads one consistent snapshot.
 */
public record FaultState(FaultSettings baseline, String baselineSource, Override override) {

    public static final String CONFIGURATION = "configuration";
    public static final String FILE = "file";

    /** The settings requests see now. */
    public FaultSettings effective() {
        return override == null ? baseline : override.settings();
    }

    /** configuration, file, override or scenario. */
    public String source() {
        if (override == null) {
            return baselineSource;
        }
        return override.scenario() == null ? "override" : "scenario";
    }

    /** For logs: where the current settings come from, in words. */
    public String describeSource() {
        if (override == null) {
            return "the " + (FILE.equals(baselineSource) ? "fault file" : "configuration");
        }
        String ends = override.endsAt() == null ? "until DELETE /fault" : "until " + override.endsAt();
        if (override.scenario() == null) {
            return "an override by " + override.by() + ", " + ends;
        }
        return "scenario " + override.scenario() + " (step " + (override.step() + 1) + " of " + override.steps().size()
                + ", started by " + override.by() + "), " + ends;
    }

    FaultState withBaseline(FaultSettings next, String source) {
        return new FaultState(next, source, override);
    }

    FaultState withOverride(Override next) {
        return new FaultState(baseline, baselineSource, next);
    }

    /** Settings that hold for a while; a null duration holds until something else changes them. */
    public record Step(FaultSettings settings, Duration duration) {
    }

    /**
     * Settings above the baseline: one step for {@code PUT /fault}, the steps of a scenario. The current step ends at
     * {@code stepEndsAt} (null: never by itself); after the last one the baseline applies again.
     *
     * @param scenario the scenario's name, null for an override by {@code PUT /fault}
     * @param by who started it, for logs and {@code GET /fault}
     */
    public record Override(String scenario, List<Step> steps, int step, Instant stepEndsAt, String by) {

        static Override start(String scenario, List<Step> steps, Instant now, String by) {
            return new Override(scenario, List.copyOf(steps), 0, endOf(steps.get(0), now), by);
        }

        /** The next step, starting when this one was due to end; null after the last one. */
        Override next() {
            if (step + 1 >= steps.size()) {
                return null;
            }
            return new Override(scenario, steps, step + 1, endOf(steps.get(step + 1), stepEndsAt), by);
        }

        private static Instant endOf(Step step, Instant start) {
            return step.duration() == null ? null : start.plus(step.duration());
        }

        public FaultSettings settings() {
            return steps.get(step).settings();
        }

        /** When the baseline applies again, or null if this override has no end. */
        public Instant endsAt() {
            if (stepEndsAt == null) {
                return null;
            }
            Instant end = stepEndsAt;
            for (Step later : steps.subList(step + 1, steps.size())) {
                if (later.duration() == null) {
                    return null;
                }
                end = end.plus(later.duration());
            }
            return end;
        }
    }
}
