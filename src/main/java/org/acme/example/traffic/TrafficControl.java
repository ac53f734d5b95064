package org.acme.example.traffic;

import org.acme.example.http.JsonReply;
import org.acme.example.http.ManagementBodies;
import org.acme.example.operator.OperatorGuard;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET|PUT /traffic} on the management interface: the traffic generator's rate, read and changed at run
 * time ({@code {"rate": 20}}). Never on the main port.
 */
@ApplicationScoped
public class TrafficControl {

    static final String RATE = "rate";

    private final TrafficGenerator generator;

    TrafficControl(TrafficGenerator generator) {
        this.generator = generator;
    }

    void registerRoutes(@Observes ManagementInterface management) {
        management.router().get("/traffic").handler(context -> JsonReply.send(context, 200, state()));
        ManagementBodies.putJson(management.router(), "/traffic", this::update);
    }

    private void update(RoutingContext context) {
        try {
            generator.setRate(rate(context.body().asString()), OperatorGuard.by(context));
            JsonReply.send(context, 200, state());
        } catch (IllegalArgumentException e) {
            JsonReply.error(context, 400, e.getMessage());
        }
    }

    /** The rate a body such as {@code {"rate": 20}} asks for; throws, naming the field and the rule, if invalid. */
    static double rate(String body) {
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (DecodeException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("the body must be a JSON object such as {\"" + RATE + "\": 20}");
        }
        for (String field : json.fieldNames()) {
            if (!field.equals(RATE)) {
                throw new IllegalArgumentException("unknown field '" + field + "': the only field is " + RATE);
            }
        }
        if (!json.containsKey(RATE)) {
            throw new IllegalArgumentException("the field " + RATE + " is missing: " + RATE + " must be "
                    + TrafficRules.RATE_RANGE);
        }
        Object value = json.getValue(RATE);
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException(TrafficRules.invalid(RATE, Json.encode(value)));
        }
        return TrafficRules.requireRate(RATE, number.doubleValue());
    }

    private JsonObject state() {
        return new JsonObject().put(RATE, generator.rate());
    }
}
