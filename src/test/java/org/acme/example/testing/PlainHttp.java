package org.acme.example.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One request on a connection of its own, closed after the answer ({@code Connection: close}): a test that counts
 * the connections a port holds must not leave pooled ones behind, as the JDK's client and RestAssured do.
 */
public final class PlainHttp {

    private static final int TIMEOUT_MS = 30_000;

    public record Answer(int status, String body) {
    }

    private PlainHttp() {
    }

    public static Answer get(int port, String path) {
        return exchange(port, "GET", path, null, null);
    }

    /** @param password the operator's, sent as HTTP basic credentials; null for none */
    public static Answer exchange(int port, String method, String path, String password, String json) {
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Connection: close\r\n");
        if (password != null) {
            String credentials = Base64.getEncoder()
                    .encodeToString(("operator:" + password).getBytes(StandardCharsets.UTF_8));
            head.append("Authorization: Basic ").append(credentials).append("\r\n");
        }
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        if (json != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = answer.indexOf("\r\n\r\n");
            if (!answer.startsWith("HTTP/1.1 ") || headEnd < 0) {
                throw new IOException("not an HTTP answer: '" + answer + "'");
            }
            String content = answer.substring(headEnd + 4);
            boolean chunked = answer.substring(0, headEnd).toLowerCase().contains("transfer-encoding: chunked");
            return new Answer(Integer.parseInt(answer.substring(9, 12)), chunked ? unchunk(content) : content);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(method + " " + path + " on port " + port + ": " + e.getMessage(), e);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
