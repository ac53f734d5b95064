package org.acme.example.http;

import org.jboss.logging.Logger;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * One shape of error answer per port, for the client errors no handler answered itself: plain text on the main port,
 * as {@code /example} answers ({@code 404 Not Found}), and JSON on the management port, as its routes answer
 * ({@code {"error": "404 Not Found: ..."}}, see {@link JsonReply}). That covers a path no route serves (404), a method
 * a path does not take (405), a body over a route's limit (413), and requests Vert.x rejects while routing (an
 * HTTP/1.1 request without {@code Host}, a bad {@code %} escape). Left to Quarkus' handlers they were HTML (404), or
 * logged as an unexpected ERROR with a stack trace (so that any client could flood the log) and answered with an
 * error id. A request whose client closed the connection before it was read in full (in the middle of its body, say)
 * is logged at DEBUG only: there is nobody to answer, nothing went wrong in the service, and Quarkus' handler logged
 * an ERROR for each one. A body over a route's limit (413) is a denial, logged as such ({@link DenialLog}: the first
 * at once, then one line per window with the counts and the top addresses). Server errors still go to Quarkus'
 * handler, which logs them.
 */
@ApplicationScoped
public class ClientErrors {

    private static final Logger LOG = Logger.getLogger(ClientErrors.class);

    /** Before every Quarkus route on the router, so that this failure handler is asked first. */
    static final int ORDER = Integer.MIN_VALUE + 100;

    private final Vertx vertx;

    ClientErrors(Vertx vertx) {
        this.vertx = vertx;
    }

    /** How a port answers an error: the context, and its status. */
    private interface Answer {
        void send(RoutingContext context, int status);
    }

    void onMainPort(@Observes Router router) {
        register(router, "main", (context, status) -> plain(context.response(), status));
    }

    void onManagementPort(@Observes ManagementInterface management) {
        register(management.router(), "management", ClientErrors::json);
    }

    private void register(Router router, String port, Answer answer) {
        String what = "Request bodies refused on the " + port + " port";
        DenialLog tooLarge = new DenialLog(vertx, what, LOG::warn);
        // A failure handler only: requests that do not fail never pass through this route.
        router.route().order(ORDER).failureHandler(context -> {
            if (context.failure() instanceof HttpClosedException) {
                LOG.debugf("The client closed its connection before its request to %s was read",
                        LogText.escape(context.request().path()));
                return;
            }
            int status = context.statusCode();
            if (status < 400 || status > 499 || context.response().headWritten()) {
                context.next();
                return;
            }
            if (status == 413) {
                String address = context.request().remoteAddress().hostAddress();
                tooLarge.record("bodies over the limit answered 413", address, () -> what + ": a body over the limit of "
                        + LogText.escape(context.request().path()) + " from " + address + " (413)");
            }
            answer.send(context, status);
        });
        // No route matched the path (404) or its method (405); a path that cannot be decoded fails while routes are
        // matched, before any failure handler (400): Vert.x then asks the router's error handler, and logs an ERROR
        // with the stack trace when it has none.
        for (int status : new int[] { 400, 404, 405 }) {
            router.errorHandler(status, context -> answer.send(context, status));
        }
    }

    private static void plain(HttpServerResponse response, int status) {
        if (response.headWritten()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                .end(statusLine(status) + "\n");
    }

    private static void json(RoutingContext context, int status) {
        if (context.response().headWritten()) {
            return;
        }
        String hint = switch (status) {
            case 404 -> ": no route " + context.request().path() + " on the management port";
            case 405 -> ": " + context.request().path() + " does not take " + context.request().method();
            case 413 -> ": a body on the management port is at most " + ManagementBodies.MAX_BYTES + " bytes";
            default -> "";
        };
        JsonReply.error(context, status, statusLine(status) + hint + " (see the management API reference)");
    }

    /** {@code 404 Not Found}: the status and its reason phrase, the body of a plain-text error. */
    public static String statusLine(int status) {
        return status + " " + HttpResponseStatus.valueOf(status).reasonPhrase();
    }
}
