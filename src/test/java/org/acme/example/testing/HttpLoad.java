package org.acme.example.testing;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A load generator with a fixed pool of keep-alive HTTP/1.1 connections on raw sockets, one thread each, that
 * classifies every request exactly: a complete answer by status, or the way it failed. A raw socket (rather than
 * an HTTP client library) is used so that nothing is retried or hidden: a reset is a reset.
 * <p>
 * A connection is reopened after an answer with {@code Connection: close}. A refused connection ends that
 * connection's thread (the server is gone), so a run against a stopping server ends by itself.
 * <p>
 * Also a tool of its own, for the README's shutdown demonstration and the soak script: it uses only JDK classes, so
 * that Java runs it from its source without a build,
 * {@code java src/test/java/org/acme/example/testing/HttpLoad.java PORT [PATH [CONNECTIONS [SECONDS]]]}
 * ({@code HttpLoadCommandIT} runs it so).
 */
public final class HttpLoad {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_HEAD_BYTES = 16 * 1024;

    /** How each request ended. */
    public static final class Result {
        final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        /** Connection attempts refused: the server is not listening (a clean outcome during shutdown). */
        public final LongAdder refused = new LongAdder();
        /** The connection was reset (RST) while a request was on it. */
        public final LongAdder resets = new LongAdder();
        /** The server closed the connection after the request was sent, before any byte of an answer. */
        public final LongAdder closedBeforeAnswer = new LongAdder();
        /** An answer started but ended early (EOF or reset in the head or the body). */
        public final LongAdder truncated = new LongAdder();
        /** No complete answer within the read timeout. */
        public final LongAdder timeouts = new LongAdder();
        /** Answers that said {@code Connection: close}. */
        public final LongAdder connectionClose = new LongAdder();
        /** Anything else that went wrong (unexpected exceptions, unparsable answers). */
        public final List<String> otherErrors = Collections.synchronizedList(new ArrayList<>());
        /** How the first resets happened: when (ms after the load started), on a new connection or a reused one. */
        public final List<String> resetDetails = Collections.synchronizedList(new ArrayList<>());
        final long startNanos = System.nanoTime();
        final LongAccumulator slowestNanos = new LongAccumulator(Math::max, 0);

        void reset(String where, boolean newConnection) {
            resets.increment();
            if (resetDetails.size() < 10) {
                resetDetails.add(String.format(Locale.ROOT, "%s on a %s connection at %d ms", where,
                        newConnection ? "new" : "reused", (System.nanoTime() - startNanos) / 1_000_000));
            }
        }

        public long count(int status) {
            LongAdder adder = byStatus.get(status);
            return adder == null ? 0 : adder.sum();
        }

        /** The statuses answered at least once. */
        public Set<Integer> statuses() {
            return byStatus.keySet();
        }

        /** The longest time from sending a request to the end of its answer. */
        public Duration slowest() {
            return Duration.ofNanos(slowestNanos.get());
        }

        public long answered() {
            return byStatus.values().stream().mapToLong(LongAdder::sum).sum();
        }

        /** Failures a client would see as errors (a refused connection is not one: it is a clean "not here"). */
        public long errors() {
            return resets.sum() + closedBeforeAnswer.sum() + truncated.sum() + timeouts.sum() + otherErrors.size();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "answers %s, refused %d, resets %d, closed-before-answer %d, truncated %d, timeouts %d, "
                            + "connection-close answers %d, other %s",
                    new TreeMap<>(Map.copyOf(byStatus)), refused.sum(), resets.sum(), closedBeforeAnswer.sum(),
                    truncated.sum(), timeouts.sum(), connectionClose.sum(),
                    otherErrors.size() > 5 ? otherErrors.subList(0, 5) + "..." : otherErrors)
                    + (resetDetails.isEmpty() ? "" : ", resets: " + resetDetails);
        }
    }

    private final String host;
    private final int port;
    private final Supplier<String> requests;
    private final int connections;
    private final Result result = new Result();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    /**
     * @param requests gives the raw text of each request to send (request line, headers, blank line); called from
     *                 several threads
     */
    public HttpLoad(String host, int port, int connections, Supplier<String> requests) {
        this.host = host;
        this.port = port;
        this.connections = connections;
        this.requests = requests;
    }

    /** The same {@code GET} again and again. */
    public static HttpLoad get(int port, String path, int connections) {
        String request = get(port, path);
        return new HttpLoad("127.0.0.1", port, connections, () -> request);
    }

    /** The text of a plain {@code GET} of {@code path} on the loopback address. */
    public static String get(int port, String path) {
        return request("GET", port, path);
    }

    public static String request(String method, int port, String path) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n";
    }

    public Result result() {
        return result;
    }

    /** Sends exactly {@code requests} requests (unless connections are refused) and returns when all ended. */
    public Result run(long requests) {
        AtomicLong remaining = new AtomicLong(requests);
        start(() -> remaining.getAndDecrement() > 0);
        awaitThreads();
        return result;
    }

    /** Sends requests until {@link #stop()} is called or every connection was refused. */
    public HttpLoad startUnbounded() {
        start(() -> true);
        return this;
    }

    public void stop() {
        stopped = true;
    }

    /** Waits for every connection thread to end (after a stop, a refusal or the last request). */
    public Result awaitThreads() {
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return result;
    }

    private void start(BooleanSupplier mayContinue) {
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(() -> connectionLoop(mayContinue), "http-load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void connectionLoop(BooleanSupplier mayContinue) {
        Socket socket = null;
        boolean fresh = false;
        try {
            while (!stopped && mayContinue.getAsBoolean()) {
                if (socket == null) {
                    fresh = true;
                    try {
                        socket = new Socket();
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
                        socket.connect(new InetSocketAddress(host, port), (int) READ_TIMEOUT.toMillis());
                    } catch (ConnectException e) {
                        result.refused.increment();
                        return;
                    }
                }
                boolean keepOpen = exchange(socket, requests.get().getBytes(StandardCharsets.ISO_8859_1), fresh);
                fresh = false;
                if (!keepOpen) {
                    closeQuietly(socket);
                    socket = null;
                }
            }
        } catch (IOException | RuntimeException e) {
            result.otherErrors.add(e.toString());
        } finally {
            closeQuietly(socket);
        }
    }

    /** One request and its answer; returns whether the connection can be used again. */
    private boolean exchange(Socket socket, byte[] request, boolean newConnection) throws IOException {
        long sentNanos = System.nanoTime();
        InputStream in;
        try {
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            in = new BufferedInputStream(socket.getInputStream(), 512);
        } catch (SocketException e) {
            result.reset("writing the request", newConnection);
            return false;
        }
        int bytesRead = 0;
        try {
            String head = readHead(in);
            bytesRead = head.length();
            int status = parseStatus(head);
            String lower = head.toLowerCase(Locale.ROOT);
            boolean close = lower.contains("\r\nconnection: close") || head.startsWith("HTTP/1.0");
            long length = contentLength(lower);
            if (length < 0 && !close) {
                result.otherErrors.add("answer without content-length: " + head.lines().findFirst().orElse(""));
                return false;
            }
            if (length < 0) {
                // the body ends where the connection does
                in.transferTo(OutputStream.nullOutputStream());
            }
            for (long read = 0; read < length; read++) {
                if (in.read() < 0) {
                    throw new EOFException("body ended after " + read + " of " + length + " bytes");
                }
                bytesRead++;
            }
            result.byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
            result.slowestNanos.accumulate(System.nanoTime() - sentNanos);
            if (close) {
                result.connectionClose.increment();
            }
            return !close;
        } catch (NoAnswerException e) {
            result.closedBeforeAnswer.increment();
        } catch (SocketTimeoutException e) {
            result.timeouts.increment();
        } catch (SocketException e) {
            if (bytesRead == 0 && !e.getMessage().contains("reset")) {
                result.closedBeforeAnswer.increment();
            } else if (bytesRead == 0) {
                result.reset("waiting for the answer", newConnection);
            } else {
                result.truncated.increment();
            }
        } catch (EOFException e) {
            result.truncated.increment();
        }
        return false;
    }

    /** Reads up to and including the blank line that ends the head. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder(256);
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                if (head.length() == 0) {
                    throw new NoAnswerException();
                }
                throw new EOFException("head ended after " + head.length() + " bytes");
            }
            head.append((char) b);
            if (head.length() > MAX_HEAD_BYTES) {
                throw new IOException("answer head longer than " + MAX_HEAD_BYTES + " bytes");
            }
        }
        return head.toString();
    }

    private static int parseStatus(String head) throws IOException {
        // "HTTP/1.1 200 OK"
        if (!head.startsWith("HTTP/1.") || head.length() < 12) {
            throw new IOException("not an HTTP/1.x answer: " + head.lines().findFirst().orElse(""));
        }
        return Integer.parseInt(head.substring(9, 12));
    }

    /** The answer's Content-Length, from its head in lower case; -1 without one. */
    static long contentLength(String lowerHead) {
        int at = lowerHead.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return -1;
        }
        int start = at + "\r\ncontent-length:".length();
        int end = lowerHead.indexOf('\r', start);
        return Long.parseLong(lowerHead.substring(start, end).trim());
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to do with it
            }
        }
    }

    /** The connection ended before the first byte of an answer. */
    private static final class NoAnswerException extends IOException {
        NoAnswerException() {
            super("connection closed before any answer");
        }
    }

    /**
     * Load for a fixed time, or until every connection was refused (the server stopped), printing the outcome:
     * {@code PORT [PATH [CONNECTIONS [SECONDS]]]}, by default {@code /example}, 32 connections, 60 s.
     */
    public static void main(String[] args) throws InterruptedException {
        int port;
        String path;
        int connections;
        long seconds;
        try {
            if (args.length < 1 || args.length > 4) {
                throw new IllegalArgumentException("expected 1 to 4 arguments, got " + args.length);
            }
            port = argument(args, 0, 65535, 0);
            path = args.length > 1 ? args[1] : "/example";
            if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
                throw new IllegalArgumentException("PATH must start with / and hold no spaces or control characters, got '"
                        + path + "'");
            }
            connections = argument(args, 2, 1000, 32);
            seconds = argument(args, 3, 86_400, 60);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\nusage: java src/test/java/org/acme/example/testing/HttpLoad.java"
                    + " PORT [PATH [CONNECTIONS [SECONDS]]]   (defaults: /example, 32 connections, 60 s)");
            System.exit(2);
            return;
        }
        HttpLoad load = HttpLoad.get(port, path, connections).startUnbounded();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        for (Thread thread : load.threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        load.stop();
        System.out.println(load.awaitThreads());
    }

    /** The whole number at {@code index} in 1..max, or {@code absent} when there are fewer arguments. */
    private static int argument(String[] args, int index, int max, int absent) {
        if (index >= args.length) {
            return absent;
        }
        String[] names = {"PORT", "PATH", "CONNECTIONS", "SECONDS"};
        try {
            int value = Integer.parseInt(args[index]);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(names[index] + " must be a whole number from 1 to " + max + ", got '"
                + args[index] + "'");
    }
}
