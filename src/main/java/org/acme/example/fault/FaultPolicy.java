package org.acme.example.fault;

import org.acme.example.Durations;
import org.acme.example.ExampleConfig;
import org.acme.example.fault.FaultState.Held;
import org.acme.example.fault.FaultState.Run;
import org.acme.example.fault.FaultState.Step;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;

/**
 * Decides, per request to {@code /example}, whether it fails on purpose (and with which status) and how long it is
 * delayed, from one snapshot of the {@link FaultState}. Every change arrives here as a checked
 * {@link FaultSettings} value (or the {@link FaultChange} that gives it) and is applied in one step to one layer of the
 * {@link FaultState}: a new baseline from the fault file, the steps of a scenario, the overrides of {@code PUT /fault}.
 * Overrides and steps end by themselves on a timer on the event loop; requests never wait for a lock. Every change is
 * logged in one line: what changed, by whom, and the settings requests see before and after.
 */
// A singleton, not a lazy proxy: it is built at start-up (the metrics need it), so invalid settings stop start-up
// instead of failing the first request.
@Singleton
public class FaultPolicy {

    private static final Logger LOG = Logger.getLogger(FaultPolicy.class);

    /** What one request suffers: the status it is answered with (200, or a failure status) after a delay. */
    public record Fault(int status, Duration delay) {
        public boolean fail() {
            return status != 200;
        }
    }

    private final Vertx vertx;
    private final Event<FaultState> changed;
    private final boolean passwordSet;
    private volatile FaultState state;
    /** The timer of the next end (an override's, a scenario step's); -1 when none is due. Guarded by this. */
    private long timer = -1;
    /** Set when the application stops; nothing changes after (dev mode's next start has a policy of its own). */
    private boolean stopped;

    FaultPolicy(FaultFile file, Vertx vertx, Event<FaultState> changed, ExampleConfig config) {
        this.vertx = vertx;
        this.changed = changed;
        this.passwordSet = config.faultControl().password().isPresent();
        this.state = new FaultState(file.baseline(), file.baselineSource(), null, Map.of());
        file.watch(this::baseline);
    }

    public FaultState state() {
        return state;
    }

    /**
     * The timer of the next end runs on Vert.x, which dev mode keeps when it restarts the application: it ends with this
     * instance, instead of firing later on a policy nobody uses any more.
     */
    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** The settings requests see now. */
    public FaultSettings settings() {
        return state.effective();
    }

    /** Draws one request's fault from one snapshot of the settings; thread-safe, nothing random at build time. */
    public Fault draw() {
        return draw(state.effective());
    }

    /**
     * As {@link #draw()}, but when per-request faults are enabled (the setting {@code requestFaults}) a request's {@code status} and {@code delay} parameters force its outcome; otherwise they are ignored.
     *
     * @throws IllegalArgumentException for a parameter outside its rule, naming it
     */
    public Fault draw(String status, String delay) {
        FaultSettings current = state.effective();
        if (!current.requestFaults() || (status == null && delay == null)) {
            return draw(current);
        }
        return draw(FaultChange.ofRequest(status, delay).applyTo(current, ""));
    }

    private static Fault draw(FaultSettings settings) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // nextDouble() is in [0, 1): a rate of 0 never fails, a rate of 1 always does.
        int status = random.nextDouble() < settings.failureRate()
                ? settings.failureStatuses().draw(random.nextDouble())
                : 200;
        long delayMs = settings.latencyMinMs() == settings.latencyMaxMs()
                ? settings.latencyMinMs()
                : random.nextLong(settings.latencyMinMs(), settings.latencyMaxMs() + 1);
        return new Fault(status, Duration.ofMillis(delayMs));
    }

    /**
     * Overrides the fields the change names, each until {@code duration} from now (null: until {@code DELETE /fault},
     * a later change of that field or a restart); the other fields keep their values and their ends. Naming either
     * latency bound names both (the other keeps its current value), so that min <= max whatever ends when.
     *
     * @throws IllegalArgumentException if the change names nothing, changes nothing, or gives latencies out of order;
     *         then nothing changes
     */
    public synchronized FaultState override(FaultChange change, Duration duration, String by) {
        if (change.isEmpty()) {
            throw new IllegalArgumentException("the change names no setting, so it changes nothing: give at least one of "
                    + String.join(", ", FaultJson.SETTINGS) + " (and " + FaultJson.FOR
                    + " for how long), e.g. {\"ready\": false, \"for\": \"30s\"}");
        }
        FaultState current = state;
        Instant now = Instant.now();
        Instant endsAt = duration == null ? null : now.plus(duration);
        Map<String, Held> next = new LinkedHashMap<>(current.overrides());
        List<String> changes = new ArrayList<>();
        change.withLatencyPair(current.effective(), "").byField().forEach((field, one) -> {
            Held previous = next.put(field, new Held(one, endsAt, by));
            if (previous == null || !previous.change().equals(one) || !Objects.equals(previous.endsAt(), endsAt)) {
                changes.add(next.get(field).describe(field, now));
            }
        });
        if (changes.isEmpty()) {
            Set<String> named = change.byField().keySet();
            throw new IllegalArgumentException("the change changes nothing: " + String.join(", ", named)
                    + (named.size() == 1 ? " is already overridden with this value" : " are already overridden with these values")
                    + ", until DELETE /fault");
        }
        SaturationRules.authorize(current.withOverrides(next).effective(), passwordSet, "PUT /fault");
        return apply(current.withOverrides(next), "override by " + by + ": " + String.join(", ", changes));
    }

    /** Back to the baseline at once: ends every override and stops a running scenario. */
    public synchronized FaultState clear(String by) {
        FaultState current = state;
        if (current.overrides().isEmpty() && current.scenario() == null) {
            return current;
        }
        List<String> ended = new ArrayList<>();
        if (!current.overrides().isEmpty()) {
            ended.add("the overrides of " + String.join(", ", current.overrides().keySet()) + " ended");
        }
        if (current.scenario() != null) {
            ended.add("scenario " + stoppedAt(current.scenario()));
        }
        return apply(current.withOverrides(Map.of()).withScenario(null), String.join(", ", ended) + " by " + by);
    }

    /**
     * Runs the steps of a scenario, replacing a running one; overrides stay above it until they end.
     *
     * @param plan the steps' settings for the current baseline
     * @throws IllegalArgumentException if a step's settings are not allowed; then nothing changes
     */
    public synchronized FaultState run(String scenario, Function<FaultSettings, List<Step>> plan, String by) {
        FaultState current = state;
        List<Step> steps = plan.apply(current.baseline());
        for (int i = 0; i < steps.size(); i++) {
            FaultSettings during = steps.get(i).change().overlay(current.baseline());
            for (Held held : current.overrides().values()) {
                during = held.change().overlay(during);
            }
            SaturationRules.authorize(during, passwordSet, "steps[" + i + "]");
        }
        Run run = Run.start(scenario, steps, Instant.now(), by);
        String replaced = current.scenario() == null ? ""
                : ", replacing scenario " + current.scenario().name() + " at step " + (current.scenario().step() + 1);
        return apply(current.withScenario(run), "scenario " + scenario + " started by " + by + replaced + ": step 1 of "
                + steps.size() + " for " + Durations.format(steps.get(0).duration()) + ", ends at " + run.endsAt());
    }

    /** Stops the running scenario, if any; overrides stay. */
    public synchronized FaultState stopScenario(String by) {
        FaultState current = state;
        if (current.scenario() == null) {
            return current;
        }
        return apply(current.withScenario(null), "scenario " + stoppedAt(current.scenario()) + " by " + by);
    }

    private static String stoppedAt(Run run) {
        return run.name() + " stopped at step " + (run.step() + 1) + " of " + run.steps().size();
    }

    /** A new baseline, from the fault file; the scenario and overrides stay above it until they end. */
    synchronized void baseline(FaultSettings baseline, String source, String by) {
        apply(state.withBaseline(baseline, source), by);
    }

    /** The timer: ends the overrides and scenario steps that are due. */
    private synchronized void endDue() {
        timer = -1;
        if (stopped) {
            return;
        }
        Instant now = Instant.now();
        FaultState current = state;
        Map<String, Held> kept = new LinkedHashMap<>();
        Map<String, List<String>> endedBy = new LinkedHashMap<>();
        current.overrides().forEach((field, held) -> {
            if (held.endsAt() != null && !held.endsAt().isAfter(now)) {
                endedBy.computeIfAbsent(held.by(), by -> new ArrayList<>()).add(field);
            } else {
                kept.put(field, held);
            }
        });
        List<String> what = new ArrayList<>();
        endedBy.forEach((by, fields) -> what.add("the end of the override of " + String.join(", ", fields) + " set by " + by));
        Run run = current.scenario();
        while (run != null && !run.stepEndsAt().isAfter(now)) {
            Run next = run.next();
            if (next == null) {
                what.add("the end of scenario " + run.name());
            }
            run = next;
        }
        if (run != null && run != current.scenario()) {
            what.add("scenario " + run.name() + ", step " + (run.step() + 1) + " of " + run.steps().size() + " for "
                    + Durations.format(run.steps().get(run.step()).duration()));
        }
        if (what.isEmpty()) {
            schedule(current); // woken a little early
            return;
        }
        apply(current.withOverrides(kept).withScenario(run), String.join("; ", what));
    }

    /** Swaps in the next state, (re)starts the timer of its next end, and logs the change in one line. */
    private FaultState apply(FaultState next, String what) {
        if (stopped) {
            return state; // a late fault-file read, say: its change would reach beans of a stopped application
        }
        FaultState previous = state;
        state = next;
        schedule(next);
        String settings = previous.effective().equals(next.effective())
                ? "the settings requests see stay " + FaultJson.write(next.effective())
                : FaultJson.write(previous.effective()) + " -> " + FaultJson.write(next.effective());
        LOG.infof("Fault settings changed: %s; %s, from %s", what, settings, next.describeSource());
        changed.fire(next);
        return next;
    }

    private void schedule(FaultState next) {
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        Instant end = next.nextEnd();
        if (end != null) {
            // Rounded up, so that the timer does not wake before the end.
            long delayMs = Math.max(1, Duration.between(Instant.now(), end).toNanos() / 1_000_000 + 1);
            timer = vertx.setTimer(delayMs, id -> endDue());
        }
    }
}
