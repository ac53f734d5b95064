package org.acme.example.endpoint;

import org.acme.example.fault.FaultPolicy;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Path("/example")
public class ExampleResource {

    private final FaultPolicy faults;
    private final ExampleMetrics metrics;
    private final SimulatedDelay delay;

    ExampleResource(FaultPolicy faults, ExampleMetrics metrics, SimulatedDelay delay) {
        this.faults = faults;
        this.metrics = metrics;
        this.delay = delay;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<RestResponse<String>> example(RoutingContext routing) {
        FaultPolicy.Fault fault = faults.draw();
        return delay.of(fault.delay(), routing).map(ignored -> answer(fault.fail()));
    }

    private RestResponse<String> answer(boolean fail) {
        if (fail) {
            metrics.error();
            return RestResponse.status(RestResponse.Status.INTERNAL_SERVER_ERROR, "simulated failure\n");
        }
        metrics.success();
        return RestResponse.ok("ok\n");
    }
}
