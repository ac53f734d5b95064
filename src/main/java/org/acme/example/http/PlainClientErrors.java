package org.acme.example.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers a request that failed with a client error before any handler answered it (for instance an HTTP/1.1
 * request without {@code Host}, or a bad {@code %} escape, which Vert.x rejects while routing) with a plain status
 * line, on both ports. Left to Quarkus' error handler, such a request is logged as an unexpected ERROR with a stack
 * trace, so that any client could flood the log, and answered with an error id in a JSON body. Server errors still
 * go to Quarkus' handler, which logs them.
 */
@ApplicationScoped
public class PlainClientErrors {

    /** Before every Quarkus route on the router, so that this failure handler is asked first. */
    static final int ORDER = Integer.MIN_VALUE + 100;

    void onMainPort(@Observes Router router) {
        register(router);
    }

    void onManagementPort(@Observes ManagementInterface management) {
        register(management.router());
    }

    private static void register(Router router) {
        // A failure handler only: requests that do not fail never pass through this route.
        router.route().order(ORDER).failureHandler(PlainClientErrors::answerClientError);
        // A path that cannot be decoded fails while routes are matched, before any failure handler: Vert.x then asks
        // the router's error handler for 400, and logs an ERROR with the stack trace when it has none.
        router.errorHandler(400, context -> answer(context.response(), 400));
    }

    private static void answerClientError(RoutingContext context) {
        int status = context.statusCode();
        if (status < 400 || status > 499 || context.response().headWritten()) {
            context.next();
            return;
        }
        answer(context.response(), status);
    }

    private static void answer(HttpServerResponse response, int status) {
        if (response.headWritten()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                .end(status + " " + HttpResponseStatus.valueOf(status).reasonPhrase() + "\n");
    }
}
