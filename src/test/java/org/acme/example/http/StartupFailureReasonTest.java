package org.acme.example.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.BindException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class StartupFailureReasonTest {

    private final StartupFailureReason filter = new StartupFailureReason();

    @Test
    void theInnermostCauseIsPutIntoTheMessage() {
        IllegalArgumentException reason = new IllegalArgumentException("example.latency.min (300 ms) must not be greater");
        ExtLogRecord record = record(StartupFailureReason.QUARKUS_MESSAGE,
                new RuntimeException("Failed to start quarkus", new IllegalStateException("wrapped", reason)));

        filter.isLoggable(record);

        assertEquals("Failed to start application: example.latency.min (300 ms) must not be greater",
                record.getFormattedMessage());
        assertSame(reason, record.getThrown().getCause().getCause(), "the exception is kept");
    }

    @Test
    void aCauseWithoutMessageIsNamed() {
        ExtLogRecord record = record(StartupFailureReason.QUARKUS_MESSAGE, new RuntimeException(new NullPointerException()));

        filter.isLoggable(record);

        assertEquals("Failed to start application: java.lang.NullPointerException", record.getFormattedMessage());
    }

    @Test
    void otherRecordsAreLeftAlone() {
        ExtLogRecord record = record("Failed to start {0}", new RuntimeException("no"));

        filter.isLoggable(record);

        assertEquals("Failed to start {0}", record.getMessage());
    }

    /** With epoll, Netty's NativeIoException (an IOException) carries only the system call's words. */
    @Test
    void aBusyMainPortIsNamedWithItsProperty() {
        StartupFailureReason filter = new StartupFailureReason(config(Map.of("quarkus.http.port", "8080")));
        ExtLogRecord record = record(StartupFailureReason.QUARKUS_MESSAGE, new RuntimeException("Failed to start quarkus",
                new RuntimeException("Unable to start HTTP server", new ExecutionException(
                        new IOException("bind(..) failed with error(-98): Address already in use")))));

        filter.isLoggable(record);

        assertEquals("Failed to start application: port 8080 (quarkus.http.port, QUARKUS_HTTP_PORT) on 0.0.0.0 is already"
                + " in use by another process (bind(..) failed with error(-98): Address already in use)",
                record.getFormattedMessage());
    }

    @Test
    void aBusyManagementPortIsNamedWithItsProperty() {
        StartupFailureReason filter = new StartupFailureReason(config(Map.of("quarkus.http.port", "8080")));
        ExtLogRecord record = record(StartupFailureReason.QUARKUS_MESSAGE, new RuntimeException("Failed to start quarkus",
                new IllegalStateException("Unable to start the management interface on 127.0.0.1:9101",
                        new BindException("Address already in use"))));

        filter.isLoggable(record);

        assertEquals("Failed to start application: port 9101 (quarkus.management.port, QUARKUS_MANAGEMENT_PORT) on"
                + " 127.0.0.1 is already in use by another process (Address already in use)", record.getFormattedMessage());
    }

    /** With Java NIO, Quarkus recognises a busy main port itself and names the port, not the property. */
    @Test
    void quarkusOwnBusyPortLineGetsTheProperty() {
        StartupFailureReason filter = new StartupFailureReason(
                config(Map.of("quarkus.http.port", "8080", "quarkus.http.host", "127.0.0.1")));
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, StartupFailureReason.QUARKUS_PORT_IN_USE
                + " Quarkus may already be running or the port is used by another application.",
                ExtLogRecord.FormatStyle.PRINTF, StartupFailureReasonTest.class.getName());
        record.setParameters(new Object[] { 8080 });

        filter.isLoggable(record);

        assertEquals("Failed to start application: port 8080 (quarkus.http.port, QUARKUS_HTTP_PORT) on 127.0.0.1 is"
                + " already in use by another process", record.getFormattedMessage());
    }

    private static Function<String, Optional<String>> config(Map<String, String> values) {
        return property -> Optional.ofNullable(values.get(property));
    }

    private static ExtLogRecord record(String message, Throwable thrown) {
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, message, ExtLogRecord.FormatStyle.MESSAGE_FORMAT,
                StartupFailureReasonTest.class.getName());
        record.setThrown(thrown);
        return record;
    }
}
