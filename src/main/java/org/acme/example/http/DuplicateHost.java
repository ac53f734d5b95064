package org.acme.example.http;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A request with more than one {@code Host} header gets 400, on both ports, in each port's error shape
 * ({@link ClientErrors}): RFC 9112 (section 3.2) requires it, as the two may name different hosts to a proxy and to
 * this service. Vert.x refuses a missing {@code Host} but took the first of several.
 */
@ApplicationScoped
public class DuplicateHost {

    void onMainPort(@Observes Router router) {
        refuse(router);
    }

    void onManagementPort(@Observes ManagementInterface management) {
        refuse(management.router());
    }

    private static void refuse(Router router) {
        router.route().order(ClientErrors.ORDER).handler(context -> {
            if (context.request().headers().getAll(HttpHeaders.HOST).size() > 1) {
                context.fail(400);
            } else {
                context.next();
            }
        });
    }
}
