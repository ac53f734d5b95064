package org.acme.example.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

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

    private static ExtLogRecord record(String message, Throwable thrown) {
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, message, ExtLogRecord.FormatStyle.MESSAGE_FORMAT,
                StartupFailureReasonTest.class.getName());
        record.setThrown(thrown);
        return record;
    }
}
