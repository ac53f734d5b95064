package org.acme.example.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers a request that failed with a client error before any handler answered it (for instance an HTTP/1.1
 * request without {@code Host}, which Vert.x rejects while routing) with a plain status line. Left to Quarkus'
 * error handler, such a request is logged as an unexpected ERROR, so that any client could flood the log, and
 * answered with an error id in a JSON body. Server errors still go to Quarkus' handler, which logs them.
 * Only the main port (8080) is concerned: the management port has its own router.
 */
@ApplicationScoped
public class MainPortGuard {

    /** Before every Quarkus route on the router, so that this failure handler is asked first. */
    static final int ORDER = Integer.MIN_VALUE + 100;

    void register(@Observes Router router) {
        // A failure handler only: requests that do not fail never pass through this route.
        router.route().order(ORDER).failureHandler(MainPortGuard::answerClientError);
    }

    private static void answerClientError(RoutingContext context) {
        int status = context.statusCode();
        HttpServerResponse response = context.response();
        if (status < 400 || status > 499 || response.headWritten()) {
            context.next();
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                .end(status + " " + HttpResponseStatus.valueOf(status).reasonPhrase() + "\n");
    }
}
