package org.acme.example.http;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.Route;
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
    /** The largest body a management route takes: its JSON settings are a few hundred bytes. */
    public static final int MAX_BYTES = 4096;

    /**
     * The body handler for a management route that takes a small JSON body, put after the route's checks: at most
     * {@link #MAX_BYTES} (413 beyond), no form parsing and no file uploads (the root filesystem is read-only).
     */
    public static BodyHandler small() {
        return BodyHandler.create(false).setBodyLimit(MAX_BYTES).setMergeFormAttributes(false);
    }

    void readOnlyWhereAsked(@Observes @Priority(PRIORITY) ManagementInterface management) {
        Route quarkusBodyHandler = management.router().getRoutes().stream()
                .filter(route -> route.getPath() == null && route.methods() == null)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("Quarkus' body handler of the management router not found"));
        quarkusBodyHandler.disable();
    }
}
