import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * The receiver of the demo: prints what Alertmanager's webhooks (alertmanager.yml) send, one notification a line,
 * prefixed with the time and the path (/page or /ticket). Run it with the JDK, no build needed:
 *   java src/main/alertmanager/PrintWebhook.java [port, default 9095]
 */
public class PrintWebhook {

    private static final int MAX_BODY_BYTES = 1 << 20;

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9095;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
                System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + exchange.getRequestMethod() + " "
                        + exchange.getRequestURI().getPath() + " " + body.strip());
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        System.out.println("Printing Alertmanager's notifications sent to http://127.0.0.1:" + port + "/");
    }
}
