package org.acme.example.fault;

import org.acme.example.Durations;
import org.acme.example.fault.FaultState.Held;
import org.acme.example.fault.FaultState.Run;
import org.acme.example.http.JsonReply;
import org.acme.example.http.ManagementBodies;
import org.acme.example.operator.OperatorGuard;

import java.time.Duration;
import java.time.Instant;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET|PUT|DELETE /fault} on the management interface only, next to {@code /metrics}: operators and demo
 * scripts change the faults while Prometheus watches, without a restart. Never on the main port, where any client
 * of the service could reach it. With a password set, {@link OperatorGuard} checks changes first.
 */
@ApplicationScoped
public class FaultControl {

    public static final String PATH = "/fault";

    private final FaultPolicy policy;
    private final FaultFile file;

    FaultControl(FaultPolicy policy, FaultFile file) {
        this.policy = policy;
        this.file = file;
    }

    void registerRoutes(@Observes ManagementInterface management) {
        management.router().get(PATH).handler(context -> JsonReply.send(context, 200, state()));
        ManagementBodies.putJson(management.router(), PATH, this::update);
        management.router().delete(PATH).handler(context -> {
            policy.clear(OperatorGuard.by(context));
            JsonReply.send(context, 200, state());
        });
    }

    private void update(RoutingContext context) {
        try {
            FaultJson.Timed change = FaultJson.read(FaultJson.object(context.body().asString(), "the body"), "",
                    FaultJson.For.OPTIONAL);
            policy.override(change.change(), change.duration(), OperatorGuard.by(context));
            JsonReply.send(context, 200, state());
        } catch (IllegalArgumentException e) {
            JsonReply.error(context, 400, e.getMessage());
        }
    }

    /** The effective settings at the top level, then each layer: baseline, scenario, overrides (per field), file. */
    JsonObject state() {
        FaultState state = policy.state();
        Instant now = Instant.now();
        JsonObject overrides = null;
        if (!state.overrides().isEmpty()) {
            overrides = new JsonObject();
            for (var entry : state.overrides().entrySet()) {
                Held held = entry.getValue();
                overrides.put(entry.getKey(), new JsonObject()
                        .put("value", FaultJson.write(held.change(), null).getValue(entry.getKey()))
                        .put("by", held.by())
                        .put("endsAt", text(held.endsAt()))
                        .put("remaining", remaining(held.endsAt(), now)));
            }
        }
        return FaultJson.write(state.effective())
                .put("source", state.source())
                .put("baseline", FaultJson.write(state.baseline()).put("source", state.baselineSource()))
                .put("scenario", state.scenario() == null ? null : scenario(state.scenario(), now))
                .put("overrides", overrides)
                .put("file", file.path().isEmpty() ? null : new JsonObject()
                        .put("path", file.path().get().toString())
                        .put("valid", file.valid())
                        .put("error", file.error().orElse(null)));
    }

    /** Where a running scenario stands, and what its current step sets. */
    public static JsonObject scenario(Run run, Instant now) {
        return new JsonObject()
                .put("name", run.name())
                .put("by", run.by())
                .put("step", run.step() + 1)
                .put("steps", run.steps().size())
                .put("settings", FaultJson.write(run.change(), run.steps().get(run.step()).duration()))
                .put("stepEndsAt", text(run.stepEndsAt()))
                .put("stepRemaining", remaining(run.stepEndsAt(), now))
                .put("endsAt", text(run.endsAt()))
                .put("remaining", remaining(run.endsAt(), now));
    }

    /** The time from now until {@code end}, never negative, as a duration with a unit; null when there is no end. */
    static String remaining(Instant end, Instant now) {
        return end == null ? null : Durations.format(remainingTime(end, now));
    }

    static Duration remainingTime(Instant end, Instant now) {
        Duration left = Duration.between(now, end).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
