package org.acme.example.endpoint;

import org.acme.example.http.ClientErrors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The errors REST answers itself on the main port (405 for {@code POST /example}, 406 for an {@code Accept} it cannot
 * serve) in the port's one error shape: a plain-text status line, as {@link ClientErrors} answers the others. Left to
 * the default mapping they had an empty body. The response's headers (e.g. {@code Allow}) stay.
 */
public class PlainErrorAnswers {

    @ServerExceptionMapper
    public Response answer(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Response.fromResponse(e.getResponse())
                .entity(ClientErrors.statusLine(status) + "\n")
                .type(MediaType.TEXT_PLAIN)
                .build();
    }
}
