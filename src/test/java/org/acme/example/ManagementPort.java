package org.acme.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the management interface of the artifact started by {@code @QuarkusIntegrationTest} listens.
 * Quarkus 3.33's launcher only tracks the main HTTP port, so the port is read from the line the service
 * logs at start-up ("Management interface listening on http://…:PORT").
 */
final class ManagementPort {

    private static final Path LOG = Path.of("target", "quarkus.log");
    private static final Pattern LISTENING = Pattern.compile("Management interface listening on https?://[^:\\s]+:(\\d+)");

    private ManagementPort() {
    }

    static String baseUrl() {
        try {
            Matcher m = LISTENING.matcher(Files.readString(LOG));
            String port = null;
            while (m.find()) {
                port = m.group(1); // the newest start-up wins
            }
            if (port == null) {
                throw new IllegalStateException("no management interface start-up line in " + LOG);
            }
            return "http://localhost:" + port;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
