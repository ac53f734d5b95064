package org.acme.example.fault.scenario;

import org.acme.example.fault.FaultPolicy;
import org.acme.example.fault.FaultState;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The running scenario in {@code /metrics}: {@code example_fault_scenario_active{scenario}} is 1 for it and 0 for the
 * others (a series for every shipped scenario and for {@value Scenario#CUSTOM}, from start-up), and
 * {@code example_fault_scenario_step} its 1-based step (0 when none runs).
 */
@Startup
@ApplicationScoped
public class ScenarioMetrics {

    ScenarioMetrics(MeterRegistry registry, FaultPolicy policy) {
        List<String> names = new ArrayList<>(ShippedScenarios.names());
        names.add(Scenario.CUSTOM);
        for (String name : names) {
            Gauge.builder("example.fault.scenario.active", policy, p -> name.equals(running(p)) ? 1 : 0)
                    .description("1 for the running fault scenario, 0 for the others")
                    .tag("scenario", name)
                    .register(registry);
        }
        Gauge.builder("example.fault.scenario.step", policy, ScenarioMetrics::step)
                .description("1-based step of the running fault scenario; 0 when none runs")
                .register(registry);
    }

    private static String running(FaultPolicy policy) {
        FaultState.Run run = policy.state().scenario();
        return run == null ? null : run.name();
    }

    private static double step(FaultPolicy policy) {
        FaultState.Run run = policy.state().scenario();
        return run == null ? 0 : run.step() + 1;
    }
}
