package org.acme.example.http;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Puts the reason into Quarkus' "Failed to start application" log line, whose message alone says nothing: in the
 * JSON log the reason was only in the nested {@code exception.causedBy}, where nobody reading the message sees it.
 * The message becomes "Failed to start application: " and the innermost cause's message; the exception stays.
 */
@LoggingFilter(name = "startup-failure-reason")
public final class StartupFailureReason implements Filter {

    static final String QUARKUS_MESSAGE = "Failed to start application";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getThrown() != null && QUARKUS_MESSAGE.equals(record.getMessage())) {
            Throwable cause = record.getThrown();
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            String reason = QUARKUS_MESSAGE + ": " + (cause.getMessage() != null ? cause.getMessage() : cause.toString());
            if (record instanceof ExtLogRecord extended) {
                extended.setMessage(reason, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(reason);
            }
        }
        return true;
    }
}
