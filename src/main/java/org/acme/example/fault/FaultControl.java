package org.acme.example.fault;

import org.acme.example.http.ManagementBodies;

import org.acme.example.ExampleConfig;

import java.util.Optional;
import java.util.Set;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET|PUT /fault} on the management interface only, next to {@code /metrics}: operators and demo
 * scripts change the failure rate and latency while Prometheus watches, without a restart. Never on the
 * main port, where any client of the service could reach it. With {@code example.fault-control.password} set,
 * changes need the {@link OperatorCredentials operator's credentials}.
 */
@ApplicationScoped
public class FaultControl {

    static final String FAILURE_RATE = "failureRate";
    static final String LATENCY_MIN = "latencyMinMs";
    static final String LATENCY_MAX = "latencyMaxMs";
    private static final Set<String> FIELDS = Set.of(FAILURE_RATE, LATENCY_MIN, LATENCY_MAX);

    private final FaultPolicy policy;
    private final Optional<OperatorCredentials> operator;

    FaultControl(FaultPolicy policy, ExampleConfig config) {
        this.policy = policy;
        this.operator = config.faultControl().password().map(OperatorCredentials::new);
    }

    void registerRoutes(@Observes ManagementInterface management) {
        management.router().get("/fault").handler(context -> reply(context, 200, toJson(policy.settings())));
        // Two routes, as Vert.x allows no body handler after another handler on one route: credentials are
        // checked before any of the body is read.
        management.router().put("/fault").handler(this::requireOperator);
        management.router().put("/fault")
                .handler(ManagementBodies.small())
                .handler(this::update);
    }

    private void requireOperator(RoutingContext context) {
        if (operator.isEmpty() || operator.get().accept(context.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            context.next();
            return;
        }
        context.response().putHeader("WWW-Authenticate", OperatorCredentials.CHALLENGE);
        reply(context, 401, error("changes need the credentials of the user '" + OperatorCredentials.USER + "'"));
    }

    private void update(RoutingContext context) {
        JsonObject patch;
        try {
            patch = new JsonObject(context.body().asString());
        } catch (DecodeException | ClassCastException | NullPointerException e) {
            reply(context, 400, error("the body must be a JSON object such as {\"" + FAILURE_RATE + "\": 0.5}"));
            return;
        }
        try {
            FaultSettings next = policy.update(current -> merge(current, patch));
            reply(context, 200, toJson(next));
        } catch (IllegalArgumentException e) {
            reply(context, 400, error(e.getMessage()));
        }
    }

    /** The current settings with the fields the patch names replaced; throws if the result is not allowed. */
    static FaultSettings merge(FaultSettings current, JsonObject patch) {
        for (String field : patch.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "': allowed fields are "
                        + FAILURE_RATE + ", " + LATENCY_MIN + " and " + LATENCY_MAX);
            }
        }
        double rate = patch.containsKey(FAILURE_RATE)
                ? FaultRules.requireFailureRate(FAILURE_RATE, number(patch, FAILURE_RATE, FaultRules.FAILURE_RATE_RANGE).doubleValue())
                : current.failureRate();
        long min = patch.containsKey(LATENCY_MIN)
                ? FaultRules.requireLatencyMs(LATENCY_MIN, number(patch, LATENCY_MIN, FaultRules.LATENCY_RANGE))
                : current.latencyMinMs();
        long max = patch.containsKey(LATENCY_MAX)
                ? FaultRules.requireLatencyMs(LATENCY_MAX, number(patch, LATENCY_MAX, FaultRules.LATENCY_RANGE))
                : current.latencyMaxMs();
        FaultRules.requireOrderedLatency(LATENCY_MIN, min, LATENCY_MAX, max);
        return new FaultSettings(rate, min, max);
    }

    private static Number number(JsonObject patch, String field, String range) {
        Object value = patch.getValue(field);
        if (value instanceof Number number) {
            return number;
        }
        throw new IllegalArgumentException(FaultRules.invalid(field, Json.encode(value), range));
    }

    static JsonObject toJson(FaultSettings settings) {
        return new JsonObject()
                .put(FAILURE_RATE, settings.failureRate())
                .put(LATENCY_MIN, settings.latencyMinMs())
                .put(LATENCY_MAX, settings.latencyMaxMs());
    }

    private static JsonObject error(String message) {
        return new JsonObject().put("error", message);
    }

    private static void reply(RoutingContext context, int status, JsonObject body) {
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }
}
