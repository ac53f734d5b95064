package org.acme.example.endpoint;

import org.acme.example.fault.FaultPolicy;

import java.time.Duration;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

@Path("/example")
public class ExampleResource {

    private final FaultPolicy faults;
    private final ExampleMetrics metrics;
    private final Vertx vertx;

    ExampleResource(FaultPolicy faults, ExampleMetrics metrics, Vertx vertx) {
        this.faults = faults;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<RestResponse<String>> example(@RestQuery String status, @RestQuery String delay) {
        FaultPolicy.Fault fault;
        try {
            fault = faults.draw(status, delay); // the parameters count only with example.request-faults.enabled
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(RestResponse.status(RestResponse.Status.BAD_REQUEST, e.getMessage() + "\n"));
        }
        return after(fault.delay()).map(ignored -> answer(fault.status()));
    }

    private RestResponse<String> answer(int status) {
        metrics.answered(status);
        if (status != 200) {
            return RestResponse.ResponseBuilder.<String>create(status).entity("simulated failure\n").build();
        }
        return RestResponse.ok("ok\n");
    }

    /** A timer on the event loop: a delayed request holds no thread while it waits. */
    private Uni<Void> after(Duration delay) {
        if (delay.isZero()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(delay.toMillis(), id -> emitter.complete(null)));
    }
}
