package org.acme.example.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real Alertmanager (Debian package {@code prometheus-alertmanager}, whose binary bears that name) on a free loopback
 * port, alone (no cluster port), with its data and log in the directory given; closing it sends SIGTERM and waits.
 */
public final class AlertmanagerServer implements AutoCloseable {

    private final ServerProcess server;

    private AlertmanagerServer(ServerProcess server) {
        this.server = server;
    }

    public static AlertmanagerServer start(Path dir, Path config) throws IOException {
        Path alertmanager = ExternalTool.require("prometheus-alertmanager", "prometheus-alertmanager");
        Files.createDirectories(dir);
        int port = PackagedApp.freePort();
        return new AlertmanagerServer(ServerProcess.start("alertmanager", List.of(alertmanager.toString(),
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address="), dir.resolve("alertmanager.log"), port));
    }

    /** The alerts it holds, with their state (active, suppressed) and what inhibits them: /api/v2/alerts. */
    public List<Map<String, Object>> alerts() {
        return server.api("/api/v2/alerts").getList("");
    }

    /** host:port, as Prometheus' alerting configuration wants it. */
    public String address() {
        return "127.0.0.1:" + server.port();
    }

    public String log() {
        return server.log();
    }

    @Override
    public void close() {
        server.close();
    }
}
