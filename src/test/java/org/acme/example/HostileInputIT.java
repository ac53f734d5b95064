package org.acme.example;

import org.acme.example.testing.HostileClients;
import org.acme.example.testing.HttpLoad;
import org.acme.example.testing.PackagedApp;
import org.acme.example.testing.Poll;
import org.acme.example.testing.ScrapedMetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile requests, sent on raw sockets exactly as written: each gets a 4xx (never a 5xx: the
 * failure rate is 0, so any 5xx is a bug), no answer body gives away internals, nothing is logged as an error,
 * nothing behind the management port or under {@code /q/} is reachable on the main port, and the service keeps
 * serving afterwards.
 */
class HostileInputIT {

    /** Words that would show a stack trace, an error id or framework internals in an answer body. */
    static final List<String> LEAKS = List.of("exception", "\tat ", " at ", "java.", "io.vertx", "io.quarkus",
            "org.jboss", "netty", "error id", "stack", "# type", "\"status\"");

    static PackagedApp app;
    static int port;

    @BeforeAll
    static void start() {
        app = PackagedApp.start(Map.of("EXAMPLE_FAILURE_RATE", "0"));
        port = app.httpPort();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void malformedRequestsGetAClientError() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("garbage request line", "HELLO\r\n\r\n");
        cases.put("binary request line", "\u0000\u0001\u0002\u00ff\u00fe\r\n\r\n");
        cases.put("request line without version", "GET /example\r\n\r\n");
        cases.put("bare LF line ends", "GET /example HTTP/1.1\nHost: x\n\n");
        cases.put("NUL byte in the path", "GET /exa\u0000mple HTTP/1.1\r\nHost: x\r\n\r\n");
        cases.put("NUL byte in a header", "GET /example HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n");
        cases.put("escaped NUL byte", "GET /example%00 HTTP/1.1\r\nHost: x\r\n\r\n");
        cases.put("invalid percent escape", "GET /x/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        cases.put("invalid escape in the query", "GET /example?a=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        cases.put("HTTP/1.1 without Host", "GET /example HTTP/1.1\r\n\r\n");
        cases.put("space in a header name", "GET /example HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n");
        cases.put("invalid Content-Length", "GET /example HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
        cases.put("Content-Length and chunked", "POST /example HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        cases.put("huge Content-Length", "POST /example HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\nab");
        cases.put("oversized header (431)", "GET /example HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(30_000)
                + "\r\n\r\n");
        cases.put("thousands of headers (431)", "GET /example HTTP/1.1\r\nHost: x\r\n"
                + "X-Header: value\r\n".repeat(3000) + "\r\n");
        cases.put("long query string (414)", "GET /example?" + "q".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        cases.put("very long query string (414)", "GET /example?" + "q=1&".repeat(50_000)
                + " HTTP/1.1\r\nHost: x\r\n\r\n");
        cases.put("backslash path", "GET /..\\metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "FOO")) {
            cases.put(method + " /example (405)", method + " /example HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        }

        List<String> failures = new ArrayList<>();
        cases.forEach((name, request) -> check(name, request, failures, null));
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        assertStillServing();
    }

    @Test
    void invalidChunkedBodyIsRefusedOrClosed() {
        // The body's framing is broken, so the server cannot tell where a next request would start: closing the
        // connection without an answer is what Vert.x does, and is allowed (RFC 9112, section 7.1).
        String request = "POST /example HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n";
        Answer answer = exchange(request);
        assertTrue(answer.closedWithoutAnswer() || answer.status() / 100 == 4, () -> "answer: " + answer);
        assertStillServing();
    }

    @Test
    void pathTricksReachNothingBehindTheMainPort() {
        List<String> paths = new ArrayList<>(List.of(
                "/metrics", "/q/metrics", "/..%2fmetrics", "/%2e%2e/metrics", "/%2e%2e%2fmetrics", "//metrics",
                "/./metrics", "/example/../metrics", "/example/..%2fmetrics", "/example/%2e%2e/metrics",
                "/example/%2e%2e%2f%2e%2e%2fmetrics", "/metrics%00", "/%6detrics", "/METRICS",
                "/fault", "//fault", "/%66ault", "/example/../fault", "/example/..%2ffault", "/fault%00",
                "/q/fault", "/q", "/q/", "/q/health", "/q/health/live", "/q/health/ready", "/q/%68ealth",
                "//q/health", "/example/../q/health", "/q/dev-ui", "/q/dev-ui/", "/q/dev", "/q/dev/",
                "/q/dev-v1", "/q/arc", "/q/arc/beans", "/q/openapi", "/q/swagger-ui", "/q/health-ui",
                "/q/info", "/q/metrics/", "/q/../q/metrics"));
        List<String> failures = new ArrayList<>();
        for (String path : paths) {
            check("GET " + path, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", failures, null);
        }
        check("absolute-form request for the management port",
                "GET http://127.0.0.1:" + app.managementPort() + "/metrics HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: close\r\n\r\n", failures, null);
        check("Host header naming the management port",
                "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:" + app.managementPort() + "\r\n"
                        + "Connection: close\r\n\r\n", failures, 404);
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        assertStillServing();
    }

    @Test
    void noErrorLoggedAndMetricsStayReadable() {
        malformedRequestsGetAClientError();
        String log = app.output();
        // Plain text writes " ERROR ", the production JSON log "level":"ERROR".
        assertFalse(log.contains(" ERROR ") || log.contains("\"level\":\"ERROR\""),
                () -> "client input logged as an error:\n" + log);
        String metrics = ScrapedMetrics.scrape(app).text();
        assertFalse(metrics.chars().anyMatch(c -> c < 0x20 && c != '\n'),
                "a control character from a request made it into /metrics");
    }

    /** The same mechanism answers client errors on the management port: plainly, with nothing logged. */
    @Test
    void clientErrorsOnTheManagementPortGetAPlainClientError() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("invalid percent escape", "GET /x/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        cases.put("invalid percent escape in /metrics", "GET /metrics%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        cases.put("HTTP/1.1 without Host", "GET /metrics HTTP/1.1\r\n\r\n");
        cases.put("form body for /fault", form("a=%zz"));
        cases.put("oversized form field", form("a=" + "b".repeat(10_000)));
        cases.put("multipart body for /fault", "PUT /fault HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 56\r\n\r\n"
                + "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n");
        cases.put("oversized header (431)", "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(30_000)
                + "\r\n\r\n");
        List<String> failures = new ArrayList<>();
        cases.forEach((name, request) -> check(name, request, failures, null, app.managementPort()));
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        String log = app.output();
        assertFalse(log.contains(" ERROR ") || log.contains("\"level\":\"ERROR\""),
                () -> "client input logged as an error:\n" + log);
        assertTrue(ScrapedMetrics.scrape(app).text().contains("example_requests_total"), "still scraped");
    }

    /**
     * A head over Vert.x' size limits (the header section, the request line) is a denial like those the service
     * refuses itself: counted by reason in {@code example_request_heads_refused_total} and logged, on both ports.
     */
    @Test
    void headsOverTheSizeLimitsAreCountedAndLoggedOnBothPorts() {
        String tooLarge = "GET %s HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(30_000) + "\r\n\r\n";
        String tooLong = "GET %s?" + "q".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        ScrapedMetrics before = ScrapedMetrics.scrape(app);
        for (int target : new int[] { port, app.managementPort() }) {
            String path = target == port ? "/example" : "/metrics";
            for (int i = 0; i < 3; i++) {
                assertEquals(431, exchange(tooLarge.formatted(path), target).status());
            }
            for (int i = 0; i < 2; i++) {
                assertEquals(414, exchange(tooLong.formatted(path), target).status());
            }
        }
        ScrapedMetrics after = ScrapedMetrics.scrape(app);
        for (String name : List.of("http", "management")) {
            String series = "example_request_heads_refused_total{port=\"" + name + "\",reason=\"%s\"}";
            assertEquals(3, after.require(series.formatted("size")) - before.require(series.formatted("size")), name);
            assertEquals(2, after.require(series.formatted("request-line"))
                    - before.require(series.formatted("request-line")), name);
            // The window's first refusal at once, or (when another test's opened the window) in its summary.
            Pattern logged = Pattern.compile("Request heads refused on the " + name + " port: .*(a head over the size"
                    + " limit from 127\\.0\\.0\\.1 \\(431, closed\\)|heads over the size limit answered 431)");
            Poll.until("the " + name + " port's refusals to be logged", Duration.ofSeconds(15),
                    () -> logged.matcher(app.output()).find() ? true : null, app::output);
        }
    }

    /** RFC 9112, section 3.2: more than one Host is a 400, in each port's error shape. */
    @Test
    void aDuplicateHostGets400OnBothPorts() {
        String request = "GET %s HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n";
        Answer main = exchange(request.formatted("/example"), port);
        assertEquals(400, main.status(), main::toString);
        assertEquals("400 Bad Request\n", main.body());
        Answer management = exchange(request.formatted("/metrics"), app.managementPort());
        assertEquals(400, management.status(), management::toString);
        assertTrue(management.body().startsWith("{\"error\":\"400 Bad Request"), management.body());
        assertEquals(200, exchange("GET /example HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").status());
    }

    /**
     * A client that closes its connection in the middle of a request body, 20 times on each port: nothing to answer
     * and nothing wrong, so nothing above DEBUG. Before, each one on the management port logged an ERROR
     * (HttpClosedException, from Quarkus' error handler).
     */
    @Test
    void requestsClosedInTheMiddleOfTheirBodyAreQuietOnBothPorts() throws Exception {
        int logFrom = app.output().length();
        String head = "%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        HostileClients.cutShort(app.managementPort(), "127.0.0.1", head.formatted("PUT /fault") + "{\"failureR",
                20, 20, false);
        HostileClients.cutShort(port, "127.0.0.1", head.formatted("POST /example") + "{\"failureR", 20, 20, false);
        assertStillServing();
        assertTrue(ScrapedMetrics.scrape(app).text().contains("example_requests_total"), "still scraped");
        String log = app.output().substring(logFrom);
        assertEquals(List.of(), noisyLines(log), log);
    }

    /**
     * 200 connections reset by their client (SO_LINGER 0) on each port, each after the start of a request head: no
     * line each, but one line per port for the window, with the count and the address they came from. Before, each
     * one on the management port logged a WARN with a stack trace from Netty ("recvAddress(..) failed: Connection
     * reset by peer"), and the flood itself nothing.
     */
    @Test
    void connectionsResetByTheirClientsAreQuietAndAFloodIsLoggedOncePerWindow() throws Exception {
        int logFrom = app.output().length();
        String attacker = HostileClients.sourceAddresses(1).get(0);
        // The management port holds 64 connections: 50 at a time.
        HostileClients.cutShort(app.managementPort(), attacker, "GET /metrics HTTP/1.1\r\nHost: x\r\n", 200, 50, true);
        HostileClients.cutShort(port, attacker, "GET /example HTTP/1.1\r\nHost: x\r\n", 200, 50, true);
        assertStillServing();
        Pattern flood = Pattern.compile("Port (\\d+) \\((http|management)\\): (\\d+) connections reset by their clients"
                + " in the last 10 s; most from " + Pattern.quote(attacker) + " \\((\\d+)\\)");
        // The window closes 10 s after the first reset.
        List<Matcher> lines = Poll.until("a line for each port's flood", Duration.ofSeconds(20), () -> {
            List<Matcher> found = app.output().substring(logFrom).lines().map(flood::matcher).filter(Matcher::find)
                    .toList();
            return found.size() >= 2 ? found : null;
        }, app::output);
        String log = app.output().substring(logFrom);
        System.out.println("HostileInputIT: " + lines.stream().map(Matcher::group).toList());
        assertEquals(2, lines.size(), log);
        for (Matcher line : lines) {
            int count = Integer.parseInt(line.group(3));
            assertTrue(count >= 100 && count <= 200, line.group());
            assertEquals(count, Integer.parseInt(line.group(4)), "all from the attacker: " + line.group());
        }
        assertEquals(Set.of(String.valueOf(port), String.valueOf(app.managementPort())),
                lines.stream().map(line -> line.group(1)).collect(Collectors.toSet()), "one line per port");
        assertEquals(List.of(), noisyLines(log), log);
    }

    /** A body over the management port's limit is a denial: logged at once, naming the address (then summed up). */
    @Test
    void aBodyOverTheLimitIsLoggedAsADenial() {
        String body = "{\"failureRate\": 0.1, \"padding\": \"" + "a".repeat(5000) + "\"}";
        Answer answer = exchange("PUT /fault HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body, app.managementPort());
        assertEquals(413, answer.status(), answer::toString);
        String line = "Request bodies refused on the management port: a body over the limit of /fault from 127.0.0.1 (413)";
        Poll.until("the denial logged", Duration.ofSeconds(5), () -> app.output().contains(line) ? true : null,
                app::output);
    }

    /** Log lines a client must not be able to cause: errors, stack traces, Netty's warnings. */
    private static List<String> noisyLines(String log) {
        return log.lines().filter(line -> line.contains(" ERROR ") || line.contains("\"level\":\"ERROR\"")
                || line.contains("\"exception\"") || line.contains("\tat ") || line.contains("io.netty")).toList();
    }

    private static String form(String body) {
        return "PUT /fault HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static void check(String name, String request, List<String> failures, Integer expectedStatus) {
        check(name, request, failures, expectedStatus, port);
    }

    private static void check(String name, String request, List<String> failures, Integer expectedStatus,
            int targetPort) {
        Answer answer = exchange(request, targetPort);
        if (answer.closedWithoutAnswer()) {
            failures.add(name + ": connection closed without an answer");
            return;
        }
        if (answer.status() / 100 != 4 || expectedStatus != null && answer.status() != expectedStatus) {
            failures.add(name + ": status " + answer.status() + " (a 4xx expected" + (expectedStatus == null
                    ? "" : ", " + expectedStatus) + ")");
        }
        String body = answer.body().toLowerCase(Locale.ROOT);
        for (String leak : LEAKS) {
            if (body.contains(leak)) {
                failures.add(name + ": the body contains '" + leak.trim() + "': " + answer.body());
            }
        }
    }

    private static void assertStillServing() {
        HttpLoad.Result result = HttpLoad.get(port, "/example", 2).run(20);
        assertEquals(20, result.count(200), () -> "after hostile input: " + result);
    }

    /** What came back for one request: its status and body, or nothing (status 0). */
    record Answer(int status, String head, String body) {
        boolean closedWithoutAnswer() {
            return status == 0;
        }
    }

    private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    /** Sends the request as ISO-8859-1 bytes on a new connection and reads one answer (or the close). */
    static Answer exchange(String request) {
        return exchange(request, port);
    }

    static Answer exchange(String request, int targetPort) {
        try (Socket socket = new Socket("127.0.0.1", targetPort)) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                // The server may answer and close before the whole of a huge request is written; read that answer.
            }
            return readAnswer(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("request " + abbreviate(request) + ": " + e, e);
        }
    }

    private static Answer readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            String text = received.toString(StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                String head = text.substring(0, headEnd);
                Matcher length = CONTENT_LENGTH.matcher(head);
                if (length.find() && text.length() - headEnd - 4 >= Integer.parseInt(length.group(1))) {
                    return answer(head, text.substring(headEnd + 4));
                }
            }
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketException | SocketTimeoutException e) {
                read = -1;
            }
            if (read < 0) {
                if (headEnd < 0) {
                    return new Answer(0, text, "");
                }
                return answer(text.substring(0, headEnd), text.substring(headEnd + 4));
            }
            received.write(buffer, 0, read);
        }
    }

    private static Answer answer(String head, String body) {
        Matcher status = STATUS_LINE.matcher(head);
        if (!status.find()) {
            throw new IllegalStateException("not an HTTP answer: " + abbreviate(head));
        }
        return new Answer(Integer.parseInt(status.group(1)), head, body);
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 120 ? printable.substring(0, 120) + "..." : printable;
    }
}
