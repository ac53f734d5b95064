package org.acme.example.fault;

import org.acme.example.fault.FaultState.Override;
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

    /** The effective settings at the top level, then where they come from and until when. */
    JsonObject state() {
        FaultState state = policy.state();
        Instant now = Instant.now();
        Override override = state.override();
        JsonObject json = FaultJson.write(state.effective())
                .put("source", state.source())
                .put("baseline", FaultJson.write(state.baseline()).put("source", state.baselineSource()))
                .put("override", override == null ? null : new JsonObject()
                        .put("by", override.by())
                        .put("endsAt", text(override.endsAt()))
                        .put("remainingSeconds", remainingSeconds(override.endsAt(), now)))
                .put("scenario", override == null || override.scenario() == null ? null : scenario(override, now));
        file.path().ifPresent(path -> json.put("file", new JsonObject()
                .put("path", path.toString())
                .put("valid", file.valid())
                .put("error", file.error().orElse(null))));
        return json;
    }

    /** Where a running scenario stands. */
    public static JsonObject scenario(Override run, Instant now) {
        return new JsonObject()
                .put("name", run.scenario())
                .put("step", run.step() + 1)
                .put("steps", run.steps().size())
                .put("stepEndsAt", text(run.stepEndsAt()))
                .put("stepRemainingSeconds", remainingSeconds(run.stepEndsAt(), now))
                .put("endsAt", text(run.endsAt()))
                .put("remainingSeconds", remainingSeconds(run.endsAt(), now))
                .put("by", run.by());
    }

    /** Seconds from now until {@code end}, never negative; null when there is no end. */
    public static Double remainingSeconds(Instant end, Instant now) {
        return end == null ? null : Math.max(0, Duration.between(now, end).toMillis()) / 1000.0;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
