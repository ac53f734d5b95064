package org.acme.example.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * How every route of the management port answers: JSON, and errors, whatever their status, as
 * {@code {"error": "..."}}; {@code null} says "none" (e.g. no running scenario).
 */
public final class JsonReply {

    private JsonReply() {
    }

    /** @param body null for "none": the JSON {@code null} */
    public static void send(RoutingContext context, int status, JsonObject body) {
        end(context, status, body == null ? "null" : body.encode());
    }

    public static void send(RoutingContext context, int status, JsonArray body) {
        end(context, status, body.encode());
    }

    public static void error(RoutingContext context, int status, String message) {
        send(context, status, new JsonObject().put("error", message));
    }

    private static void end(RoutingContext context, int status, String json) {
        context.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(json);
    }
}
