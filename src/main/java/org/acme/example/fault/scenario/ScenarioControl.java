package org.acme.example.fault.scenario;

import org.acme.example.http.JsonReply;
import org.acme.example.http.ManagementBodies;
import org.acme.example.operator.OperatorGuard;

import org.acme.example.fault.FaultControl;
import org.acme.example.fault.FaultJson;
import org.acme.example.fault.FaultPolicy;
import org.acme.example.fault.FaultState;

import java.time.Instant;
import java.util.Set;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Scenarios on the management port: {@code GET /fault/scenarios} lists the shipped ones; {@code PUT /fault/scenario}
 * starts one ({@code {"name": "fast-burn"}}, or {@code {"steps": [...]}}); {@code GET /fault/scenario} shows the
 * running one ({@code null} when none runs); {@code DELETE /fault/scenario} stops it, leaving overrides of
 * {@code PUT /fault} in force.
 */
@ApplicationScoped
public class ScenarioControl {

    public static final String SCENARIOS = "/fault/scenarios";
    public static final String SCENARIO = "/fault/scenario";
    private static final Set<String> FIELDS = Set.of("name", "steps");

    private final FaultPolicy policy;

    ScenarioControl(FaultPolicy policy) {
        this.policy = policy;
    }

    void registerRoutes(@Observes ManagementInterface management) {
        Router router = management.router();
        router.get(SCENARIOS).handler(context -> {
            JsonArray scenarios = new JsonArray();
            ShippedScenarios.all().forEach(scenario -> scenarios.add(scenario.toJson()));
            JsonReply.send(context, 200, scenarios);
        });
        router.get(SCENARIO).handler(context -> JsonReply.send(context, 200, running()));
        ManagementBodies.putJson(router, SCENARIO, this::start);
        router.delete(SCENARIO).handler(context -> {
            policy.stopScenario(OperatorGuard.by(context));
            JsonReply.send(context, 200, running());
        });
    }

    private void start(RoutingContext context) {
        try {
            Scenario scenario = scenario(FaultJson.object(context.body().asString(), "the body"));
            policy.run(scenario.name(), scenario::plan, OperatorGuard.by(context));
            JsonReply.send(context, 200, running());
        } catch (IllegalArgumentException e) {
            JsonReply.error(context, 400, e.getMessage());
        }
    }

    private static Scenario scenario(JsonObject body) {
        for (String field : body.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "': give either name or steps");
            }
        }
        if (body.containsKey("name") == body.containsKey("steps")) {
            throw new IllegalArgumentException("give either the name of a shipped scenario, such as {\"name\": \""
                    + ShippedScenarios.FAST_BURN + "\"}, or steps, such as {\"steps\": [{\"for\": \"30s\", "
                    + "\"failureRate\": 0.5}]}");
        }
        if (body.containsKey("steps")) {
            return Scenario.custom(body.getValue("steps"));
        }
        Object name = body.getValue("name");
        return ShippedScenarios.named(name instanceof String text ? text : "")
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario " + body.getValue("name")
                        + ": the shipped scenarios are " + String.join(", ", ShippedScenarios.names())
                        + " (GET " + SCENARIOS + ")"));
    }

    /** The running scenario, its step and the time left, as {@code GET /fault} shows it; or null. */
    private JsonObject running() {
        FaultState.Run run = policy.state().scenario();
        return run == null ? null : FaultControl.scenario(run, Instant.now());
    }
}
