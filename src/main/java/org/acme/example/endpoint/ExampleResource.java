package org.acme.example.endpoint;

import org.acme.example.fault.FaultPolicy;
import org.acme.example.saturation.RequestIncidents;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

@Path("/example")
public class ExampleResource {

    private final FaultPolicy faults;
    private final ExampleMetrics metrics;
    private final SimulatedDelay latency;
    private final RequestIncidents incidents;

    ExampleResource(FaultPolicy faults, ExampleMetrics metrics, SimulatedDelay latency, RequestIncidents incidents) {
        this.faults = faults;
        this.incidents = incidents;
        this.metrics = metrics;
        this.latency = latency;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.TEXT_PLAIN)
    public Uni<RestResponse<String>> example(@RestQuery String status, @RestQuery String delay,
            HttpServerRequest request) {
        FaultPolicy.Fault fault;
        try {
            fault = faults.draw(status, delay); // the parameters count only with example.request-faults.enabled
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(RestResponse.status(RestResponse.Status.BAD_REQUEST, e.getMessage() + "\n"));
        }
        Uni<Boolean> incident = incidents.draw(request); // hung until the fault ends, or reset: never answered
        if (incident != null) {
            return incident.map(released -> answer(fault.status()));
        }
        if (fault.delay().isZero()) {
            return Uni.createFrom().item(answer(fault.status()));
        }
        return latency.of(fault.delay()).map(ignored -> answer(fault.status()));
    }

    private RestResponse<String> answer(int status) {
        metrics.answered(status);
        if (status != 200) {
            return RestResponse.ResponseBuilder.<String>create(status).entity("simulated failure\n").build();
        }
        return RestResponse.ok("ok\n");
    }
}
