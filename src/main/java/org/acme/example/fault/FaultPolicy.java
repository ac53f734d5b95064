package org.acme.example.fault;

import org.acme.example.ExampleConfig;
import org.acme.example.fault.FaultState.Override;
import org.acme.example.fault.FaultState.Step;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * {@link FaultSettings} value (or the {@link FaultChange} that gives it) and is applied in one step: a new baseline
 * from the fault file, an override from {@code PUT /fault}, the steps of a scenario. Overrides end by themselves on
 * a timer on the event loop; requests never wait for a lock.
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
    private final boolean requestFaults;
    private volatile FaultState state;
    /** The timer that ends the current override's step; -1 when none runs. Guarded by this. */
    private long timer = -1;
    /** Set when the application stops; nothing changes after (dev mode's next start has a policy of its own). */
    private boolean stopped;

    FaultPolicy(ExampleConfig config, FaultFile file, Vertx vertx, Event<FaultState> changed) {
        this.vertx = vertx;
        this.changed = changed;
        this.requestFaults = config.requestFaults().enabled();
        this.state = new FaultState(file.baseline(), file.baselineSource(), null);
        file.watch(this::baseline);
    }

    public FaultState state() {
        return state;
    }

    /**
     * The step timer runs on Vert.x, which dev mode keeps when it restarts the application: it ends with this
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
     * As {@link #draw()}, but when per-request faults are enabled ({@code example.request-faults.enabled}) a
     * request's {@code status} and {@code delay} parameters force its outcome; otherwise they are ignored.
     *
     * @throws IllegalArgumentException for a parameter outside its rule, naming it
     */
    public Fault draw(String status, String delay) {
        FaultSettings current = state.effective();
        if (!requestFaults || (status == null && delay == null)) {
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
     * Changes the settings requests see now: the change is applied to them, and the result holds for
     * {@code duration} (null: until {@code DELETE /fault}, the next change or a restart). Stops a running scenario.
     *
     * @throws IllegalArgumentException if the result is not allowed; then nothing changes
     */
    public synchronized FaultState override(FaultChange change, Duration duration, String by) {
        FaultSettings next = change.applyTo(state.effective(), "");
        stopScenarioFor(by);
        return apply(state.withOverride(Override.start(null, List.of(new Step(next, duration)), Instant.now(), by)),
                by + (duration == null ? "" : " for " + FaultJson.duration(duration)));
    }

    /** Back to the baseline at once: ends any override and stops a running scenario. */
    public synchronized FaultState clear(String by) {
        stopScenarioFor(by);
        return apply(state.withOverride(null), by);
    }

    /**
     * Runs the steps of a scenario, replacing any override or scenario; the baseline applies after the last step.
     *
     * @param plan the steps' settings for the current baseline
     * @throws IllegalArgumentException if a step's settings are not allowed; then nothing changes
     */
    public synchronized FaultState run(String scenario, Function<FaultSettings, List<Step>> plan, String by) {
        List<Step> steps = plan.apply(state.baseline());
        stopScenarioFor(by);
        Override run = Override.start(scenario, steps, Instant.now(), by);
        LOG.infof("Scenario %s started by %s: %d steps, back to the baseline at %s", scenario, by, steps.size(),
                run.endsAt());
        return apply(state.withOverride(run), "scenario " + scenario + ", step 1 of " + steps.size());
    }

    /** Stops the running scenario, if any, and returns to the baseline. */
    public synchronized FaultState stopScenario(String by) {
        if (state.override() == null || state.override().scenario() == null) {
            return state;
        }
        stopScenarioFor(by);
        return apply(state.withOverride(null), by);
    }

    private void stopScenarioFor(String by) {
        Override current = state.override();
        if (current != null && current.scenario() != null) {
            LOG.infof("Scenario %s stopped at step %d of %d by %s", current.scenario(), current.step() + 1,
                    current.steps().size(), by);
        }
    }

    /** A new baseline, from the fault file; an override stays above it until it ends. */
    synchronized void baseline(FaultSettings baseline, String source, String by) {
        apply(state.withBaseline(baseline, source), by);
    }

    private synchronized void stepEnded(Override ended) {
        if (state.override() != ended) {
            return; // replaced meanwhile
        }
        timer = -1;
        Override next = ended.next();
        String by;
        if (ended.scenario() == null) {
            by = "the end of the timed override set by " + ended.by();
        } else if (next == null) {
            by = "the end of scenario " + ended.scenario();
        } else {
            by = "scenario " + ended.scenario() + ", step " + (next.step() + 1) + " of " + next.steps().size();
        }
        apply(state.withOverride(next), by);
    }

    /** Swaps in the next state, (re)starts the timer of its override's step, and logs what requests now see. */
    private FaultState apply(FaultState next, String by) {
        if (stopped) {
            return state; // a late fault-file read, say: its change would reach beans of a stopped application
        }
        FaultState previous = state;
        state = next;
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        Override override = next.override();
        if (override != null && override.stepEndsAt() != null) {
            long delayMs = Math.max(1, Duration.between(Instant.now(), override.stepEndsAt()).toMillis());
            timer = vertx.setTimer(delayMs, id -> stepEnded(override));
        }
        if (!previous.effective().equals(next.effective())) {
            LOG.infof("Fault settings changed by %s: %s -> %s, from %s", by, FaultJson.write(previous.effective()),
                    FaultJson.write(next.effective()), next.describeSource());
        }
        changed.fire(next);
        return next;
    }
}
