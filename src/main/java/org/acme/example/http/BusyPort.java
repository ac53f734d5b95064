package org.acme.example.http;

import java.net.BindException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A port that another process already holds at start-up, named with the property (and environment variable) that
 * sets it, for {@link StartupFailureReason}.
 * <p>
 * Quarkus names the port itself only when Java NIO serves the main port (its "Port 8080 seems to be in use"). With
 * Netty's epoll transport the failure is a {@code NativeIoException} that Quarkus does not recognise, and a busy
 * management port is wrapped in "Unable to start the management interface on host:port": both end as "Failed to start
 * application" with the bare "Address already in use" of the system call, no port, no property.
 */
record BusyPort(String property, String port, String host) {

    static final String HTTP_PORT = "quarkus.http.port";
    static final String HTTPS_PORT = "quarkus.http.ssl-port";
    static final String MANAGEMENT_PORT = "quarkus.management.port";
    private static final List<String> PORTS = List.of(HTTP_PORT, HTTPS_PORT, MANAGEMENT_PORT);
    private static final Pattern MANAGEMENT_FAILURE = Pattern.compile("Unable to start the management interface on (.+):(\\d+)");

    /**
     * The port a start-up failure could not bind, if that is what it is.
     *
     * @param config the configuration's value of a property, if it has one
     */
    static Optional<BusyPort> of(Throwable failure, Function<String, Optional<String>> config) {
        if (!isBindFailure(failure)) {
            return Optional.empty();
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            Matcher management = MANAGEMENT_FAILURE.matcher(String.valueOf(cause.getMessage()));
            if (management.find()) {
                return Optional.of(new BusyPort(MANAGEMENT_PORT, management.group(2), management.group(1)));
            }
        }
        return Optional.of(new BusyPort(HTTP_PORT, config.apply(HTTP_PORT).orElse("?"), host(HTTP_PORT, config)));
    }

    /** The property that set a port Quarkus reported busy: the one whose value it is. */
    static Optional<BusyPort> ofPort(int port, Function<String, Optional<String>> config) {
        return PORTS.stream().filter(property -> config.apply(property).map(String::trim).orElse("").equals(String.valueOf(port)))
                .findFirst().map(property -> new BusyPort(property, String.valueOf(port), host(property, config)));
    }

    private static String host(String portProperty, Function<String, Optional<String>> config) {
        String prefix = portProperty.startsWith("quarkus.management.") ? "quarkus.management." : "quarkus.http.";
        return config.apply(prefix + "host").orElse("0.0.0.0");
    }

    private static boolean isBindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            // Netty's epoll transport: Errors.NativeIoException "bind(..) failed with error(-98): Address already in use"
            if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** "port 8080 (quarkus.http.port, QUARKUS_HTTP_PORT) on 0.0.0.0 is already in use by another process" */
    String describe() {
        return "port " + port + " (" + property + ", " + property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')
                + ") on " + host + " is already in use by another process";
    }
}
