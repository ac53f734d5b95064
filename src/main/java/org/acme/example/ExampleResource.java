package org.acme.example;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.common.annotation.NonBlocking;

@Path("/example")
public class ExampleResource {

    private final FaultPolicy faults;
    private final ExampleMetrics metrics;

    ExampleResource(FaultPolicy faults, ExampleMetrics metrics) {
        this.faults = faults;
        this.metrics = metrics;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.TEXT_PLAIN)
    public RestResponse<String> example() {
        if (faults.shouldFail()) {
            metrics.error();
            return RestResponse.status(RestResponse.Status.INTERNAL_SERVER_ERROR, "simulated failure\n");
        }
        metrics.success();
        return RestResponse.ok("ok\n");
    }
}
