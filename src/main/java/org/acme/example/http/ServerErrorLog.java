package org.acme.example.http;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

/**
 * Logs every 5xx answer of the service's endpoints, one line each; the line's MDC carries the request's
 * {@code traceId} and {@code spanId}, the ids that the latency histogram's exemplars point to. A dashboard user who
 * follows an exemplar of a failed request finds its log line by trace id.
 * <p>
 * Only 5xx, not every request: a line per request would cost more than the request itself at full load (the
 * service answers in well under a millisecond), and successful answers are what the metrics already describe.
 * The cost follows the error rate: one line per failed request.
 */
public class ServerErrorLog {

    private static final Logger LOG = Logger.getLogger(ServerErrorLog.class);

    @ServerResponseFilter
    public void logServerError(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() >= 500) {
            LOG.infof("%s %s answered %d", request.getMethod(), request.getUriInfo().getPath(), response.getStatus());
        }
    }
}
