package org.acme.example.http;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start with the management port equal to the main port. Vert.x would share one listening socket between
 * the two servers and hand connections to each in turn: {@code /fault} and {@code /metrics} on the public port for
 * every other connection, {@code /live} failing for the others. Checked on the configuration, at start-up, before
 * Quarkus opens its ports.
 */
@ApplicationScoped
public class PortSeparation {

    void check(@Observes StartupEvent event, Config config) {
        // Tests listen on the test ports; 0 means a free port, distinct for each server.
        String suffix = LaunchMode.current() == LaunchMode.TEST ? "test-port" : "port";
        String mainProperty = "quarkus.http." + suffix;
        String managementProperty = "quarkus.management." + suffix;
        int main = config.getValue(mainProperty, Integer.class);
        int management = config.getValue(managementProperty, Integer.class);
        if (main > 0 && main == management) {
            throw new ConfigurationException(managementProperty + " must differ from " + mainProperty + ", both are "
                    + main + ": the management interface (/metrics, /fault) must not be served on the main port");
        }
    }
}
