package org.acme.example.http;

import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Puts the reason into Quarkus' "Failed to start application" log line, whose message alone says nothing: in the
 * JSON log the reason was only in the nested {@code exception.causedBy}, where nobody reading the message sees it.
 * The message becomes "Failed to start application: " and the innermost cause's message; the exception stays.
 * A port held by another process is named with its property ({@link BusyPort}), here and in Quarkus' own "Port 8080
 * seems to be in use" line.
 */
@LoggingFilter(name = "startup-failure-reason")
public final class StartupFailureReason implements Filter {

    static final String QUARKUS_MESSAGE = "Failed to start application";
    /** Quarkus' line (a printf format, the port its parameter) when Java NIO finds the main port taken. */
    static final String QUARKUS_PORT_IN_USE = "Port %d seems to be in use by another process.";

    private final Function<String, Optional<String>> config;

    public StartupFailureReason() {
        this(property -> ConfigProvider.getConfig().getOptionalValue(property, String.class));
    }

    StartupFailureReason(Function<String, Optional<String>> config) {
        this.config = config;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getThrown() != null && QUARKUS_MESSAGE.equals(record.getMessage())) {
            Throwable cause = record.getThrown();
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            String innermost = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            String reason = busyPort(record.getThrown()).map(port -> port.describe() + " (" + innermost + ")").orElse(innermost);
            setMessage(record, QUARKUS_MESSAGE + ": " + reason);
        } else if (record.getMessage() != null && record.getMessage().startsWith(QUARKUS_PORT_IN_USE)
                && record.getParameters() != null && record.getParameters().length == 1
                && record.getParameters()[0] instanceof Integer port) {
            portWithProperty(port).ifPresent(busy -> setMessage(record, QUARKUS_MESSAGE + ": " + busy.describe()));
        }
        return true;
    }

    /** A log filter must not throw: without configuration to read, the message stays as it was. */
    private Optional<BusyPort> busyPort(Throwable failure) {
        try {
            return BusyPort.of(failure, config);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<BusyPort> portWithProperty(int port) {
        try {
            return BusyPort.ofPort(port, config);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void setMessage(LogRecord record, String message) {
        if (record instanceof ExtLogRecord extended) {
            extended.setMessage(message, ExtLogRecord.FormatStyle.NO_FORMAT);
        } else {
            record.setMessage(message);
        }
        record.setParameters(null);
    }
}
