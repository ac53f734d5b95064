package org.acme.example;

import org.acme.example.testing.PackagedApp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Duration;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import org.junit.jupiter.api.Test;

/** The packaged service (prod profile) logs JSON lines, and one environment variable switches back to text. */
class JsonLogIT {

    static final Duration LOG_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void logsOneJsonObjectPerLineInProduction() {
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            String startLine = awaitLine(app, "started in");
            JsonObject record;
            try (JsonReader reader = Json.createReader(new StringReader(startLine))) {
                record = reader.readObject();
            }
            assertEquals("INFO", record.getString("level"));
            assertEquals("io.quarkus", record.getString("loggerName"));
            assertTrue(record.getString("message").contains("Listening on"), record.toString());
        }
    }

    @Test
    void logsPlainTextWhenJsonIsSwitchedOff() {
        try (PackagedApp app = PackagedApp.start(Map.of("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"))) {
            String startLine = awaitLine(app, "started in");
            assertFalse(startLine.startsWith("{"), startLine);
            assertTrue(startLine.contains("INFO  [io.quarkus]"), startLine);
        }
    }

    /** The start-up line is written just after the ports open, so it may come a moment after /live answers. */
    static String awaitLine(PackagedApp app, String text) {
        long deadline = System.nanoTime() + LOG_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : app.output().split("\n")) {
                if (line.contains(text)) {
                    return line;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no line with '" + text + "' within " + LOG_TIMEOUT + ":\n" + app.output());
    }
}
