package org.acme.example;

import org.acme.example.testing.ExternalTool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped Alertmanager configuration (src/main/alertmanager/alertmanager.yml) is valid for amtool (Debian package
 * prometheus-alertmanager), routes every shipped alert to the receiver named after its severity, and holds back the
 * tickets of a service while it pages. AlertmanagerEndToEndIT shows a real Alertmanager doing so.
 */
class AlertmanagerConfigTest {

    static final Path CONFIG = Path.of("src", "main", "alertmanager", "alertmanager.yml");
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @Test
    void amtoolAcceptsTheConfiguration() {
        ExternalTool.Result result = amtool(List.of("check-config", CONFIG.toString()));
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }

    @Test
    void everyShippedAlertGoesToTheReceiverOfItsSeverity() throws IOException {
        List<Map<String, Object>> alerts = AlertRunbooksTest.alertingRules();
        for (Map<String, Object> alert : alerts) {
            @SuppressWarnings("unchecked")
            String severity = ((Map<String, String>) alert.get("labels")).get("severity");
            assertTrue(List.of("page", "ticket").contains(severity), alert.get("alert") + ": severity " + severity);
            assertRoutedTo(severity, "alertname=" + alert.get("alert"), "severity=" + severity, "job=prometheus-example");
        }
    }

    @Test
    void anAlertWithoutAKnownSeverityBecomesATicket() {
        assertRoutedTo("ticket", "alertname=Unknown", "job=prometheus-example");
        assertRoutedTo("ticket", "alertname=Unknown", "severity=critical");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPageHoldsBackTheTicketsOfTheSameService() throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(CONFIG));
        List<Map<String, Object>> inhibitions = (List<Map<String, Object>>) config.get("inhibit_rules");
        assertEquals(1, inhibitions.size(), inhibitions.toString());
        Map<String, Object> rule = inhibitions.get(0);
        assertEquals(List.of("severity=\"page\""), rule.get("source_matchers"));
        assertEquals(List.of("severity=\"ticket\""), rule.get("target_matchers"));
        assertEquals(List.of("namespace", "job"), rule.get("equal"));
        Map<String, Object> route = (Map<String, Object>) config.get("route");
        assertEquals(List.of("alertname", "namespace", "job"), route.get("group_by"));
    }

    private static void assertRoutedTo(String receiver, String... labels) {
        List<String> args = new ArrayList<>(List.of("config", "routes", "test", "--config.file=" + CONFIG,
                "--verify.receivers=" + receiver));
        args.addAll(List.of(labels));
        ExternalTool.Result result = amtool(args);
        assertEquals(0, result.exitCode(), String.join(" ", labels) + " should go to " + receiver + ":\n" + result.output());
    }

    private static ExternalTool.Result amtool(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ExternalTool.require("amtool", "prometheus-alertmanager").toString());
        command.addAll(args);
        return ExternalTool.run(command, "", TIMEOUT);
    }
}
