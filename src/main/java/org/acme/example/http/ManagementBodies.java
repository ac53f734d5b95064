package org.acme.example.http;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Makes the management port read a request body only in the route that takes it, after that route's checks.
 * <p>
 * Quarkus puts a body handler before every route of the management router, so any request body (up to
 * {@code quarkus.management.limits.max-body-size}) was read into memory before the operator's credentials could be
 * checked. That handler is switched off here; each route that takes a body reads it itself, with its own small limit
 * (for example {@code PUT /fault}). It is the first route without a path or method on the router, added by Quarkus
 * before this event; {@code HostileManagementIT} fails if that changes.
 */
@ApplicationScoped
public class ManagementBodies {

    /** Before any other observer adds routes of its own. */
    static final int PRIORITY = jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE;
    /** The largest body a management route takes: a change is a few fields, a custom scenario's steps fit too. */
    public static final int MAX_BYTES = 4096;

    /**
     * {@code PUT path} taking a JSON body: another content type is refused (415) before any of the body is read; the
     * body is then read, at most {@link #MAX_BYTES} (413 beyond), without form parsing or file uploads (the root
     * filesystem is read-only), and handed to {@code handler}. Routes registered earlier on the path (credentials)
     * run first.
     */
    public static void putJson(Router router, String path, Handler<RoutingContext> handler) {
        // Two routes, as Vert.x allows no body handler after another handler on one route.
        router.put(path).handler(context -> {
            String type = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (type != null && type.split(";", 2)[0].trim().equalsIgnoreCase("application/json")) {
                context.next();
            } else {
                JsonReply.error(context, 415, "the body must be JSON, sent with Content-Type: application/json");
            }
        });
        router.put(path)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BYTES).setMergeFormAttributes(false))
                .handler(handler);
    }

    void readOnlyWhereAsked(@Observes @Priority(PRIORITY) ManagementInterface management) {
        Route quarkusBodyHandler = management.router().getRoutes().stream()
                .filter(route -> route.getPath() == null && route.methods() == null)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Quarkus' body handler of the management router not found"));
        quarkusBodyHandler.disable();
    }
}
