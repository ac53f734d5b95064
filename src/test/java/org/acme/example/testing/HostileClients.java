package org.acme.example.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Clients that try to make a server hold memory: each does one thing an attacker would, on raw sockets, and reports
 * what the server did. Only loopback; each attack is bounded in connections and time.
 */
public final class HostileClients {

    private static final String HOST = "127.0.0.1";

    private HostileClients() {
    }

    /** Connections left open by an attack, and what the server did with each by the time they are looked at. */
    public static final class Connections implements AutoCloseable {
        private final List<Socket> sockets;
        /** What each connection ended with, once it did: the first thing read from it is not there to read again. */
        private final Map<Socket, String> ended = new ConcurrentHashMap<>();
        public final int refused;

        Connections(List<Socket> sockets, int refused) {
            this.sockets = sockets;
            this.refused = refused;
        }

        /**
         * What each connection shows now, without waiting: "open" (nothing received), "closed", or the status line
         * the server sent (before it closed the connection, if it did).
         */
        public Map<String, Integer> outcomes() {
            Map<String, Integer> outcomes = new TreeMap<>();
            for (Socket socket : sockets) {
                String outcome = ended.get(socket);
                if (outcome == null) {
                    outcome = outcome(socket);
                    if (!outcome.equals("open")) {
                        ended.put(socket, outcome);
                    }
                }
                outcomes.merge(outcome, 1, Integer::sum);
            }
            return outcomes;
        }

        @Override
        public String toString() {
            return outcomes().toString();
        }

        private static String outcome(Socket socket) {
            try {
                socket.setSoTimeout(1);
                byte[] buffer = new byte[256];
                int read = socket.getInputStream().read(buffer);
                return read < 0 ? "closed" : new String(buffer, 0, read, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            } catch (SocketTimeoutException e) {
                return "open";
            } catch (IOException e) {
                return "closed";
            }
        }

        @Override
        public void close() {
            sockets.forEach(HostileClients::closeQuietly);
        }
    }

    /**
     * Opens {@code count} connections that each send a request line and {@code headerBytes} of header lines, in
     * small writes, and never end the header section.
     */
    public static Connections unfinishedHeads(int port, int count, int headerBytes) {
        return unfinishedHeads(port, count, headerBytes, "X-Padding: " + "p".repeat(88) + "\r\n");
    }

    /**
     * The same with header lines {@code line} (such as {@code "a:\r\n"}, the shortest there is), written a few at a
     * time to each connection in turn.
     */
    public static Connections unfinishedHeads(int port, int count, int headerBytes, String line) {
        List<Socket> sockets = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < count; i++) {
            try {
                Socket socket = connect(port);
                socket.getOutputStream().write(("GET /example HTTP/1.1\r\nHost: x\r\n").getBytes(StandardCharsets.US_ASCII));
                sockets.add(socket);
            } catch (IOException e) {
                refused++;
            }
        }
        byte[] lines = line.repeat(Math.max(1, 200 / line.length())).getBytes(StandardCharsets.US_ASCII);
        for (int written = 0; written < headerBytes; written += lines.length) {
            int length = Math.min(lines.length, headerBytes - written);
            for (Socket socket : sockets) {
                try {
                    socket.getOutputStream().write(lines, 0, length);
                } catch (IOException e) {
                    // closed by the server: what the attack looks for
                }
            }
        }
        return new Connections(sockets, refused);
    }

    /**
     * Opens {@code count} connections that each pipeline {@code requests} requests for {@code path}, each with
     * {@code headerBytes} of header lines, and then wait.
     */
    public static Connections pipelined(int port, String path, int count, int requests, int headerBytes) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: x\r\n");
        String line = "X-Padding: " + "p".repeat(88) + "\r\n";
        while (request.length() + line.length() < headerBytes) {
            request.append(line);
        }
        byte[] bytes = request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        List<Socket> sockets = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < count; i++) {
            try {
                Socket socket = connect(port);
                sockets.add(socket);
                for (int r = 0; r < requests; r++) {
                    socket.getOutputStream().write(bytes);
                }
            } catch (IOException e) {
                refused++;
            }
        }
        return new Connections(sockets, refused);
    }

    /** Opens {@code count} connections that send nothing at all. */
    public static Connections silent(int port, int count) {
        List<Socket> sockets = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < count; i++) {
            try {
                sockets.add(connect(port));
            } catch (IOException e) {
                refused++;
            }
        }
        return new Connections(sockets, refused);
    }

    /**
     * One HTTP/2 connection without TLS that opens {@code streams} streams of {@code GET path}, each with a header of
     * {@code headerBytes}, and never ends them: by prior knowledge (the connection preface first), or after asking
     * for an upgrade from HTTP/1.1. Returns what the server answered first ("closed" if nothing).
     */
    public static String http2StreamFlood(int port, String path, int streams, int headerBytes, boolean upgrade) {
        try (Socket socket = connect(port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String firstAnswer = null;
            if (upgrade) {
                out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                firstAnswer = readLine(socket.getInputStream());
            }
            try {
                out.write(http2Frames(path, streams, headerBytes, upgrade ? 3 : 1));
                out.flush();
            } catch (SocketException e) {
                // the server closed the connection while the frames were being written
            }
            if (firstAnswer == null) {
                firstAnswer = readLine(socket.getInputStream());
            }
            return firstAnswer == null ? "closed" : firstAnswer;
        } catch (IOException e) {
            return "closed";
        }
    }

    private static byte[] http2Frames(String path, int streams, int headerBytes, int firstStream) {
        DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter());
        ChannelHandlerContext context = channel.pipeline().firstContext();
        ByteBuf frames = Unpooled.buffer();
        frames.writeBytes(Http2CodecUtil.connectionPrefaceBuf());
        writer.writeSettings(context, new Http2Settings(), channel.newPromise());
        String big = "v".repeat(headerBytes);
        for (int i = 0; i < streams; i++) {
            Http2Headers headers = new DefaultHttp2Headers().method("GET").path(path).scheme("http").authority("x")
                    .add("x-big", big);
            writer.writeHeaders(context, firstStream + 2 * i, headers, 0, false, channel.newPromise());
        }
        channel.flushOutbound();
        for (Object written; (written = channel.readOutbound()) != null;) {
            ByteBuf buffer = (ByteBuf) written;
            frames.writeBytes(buffer);
            buffer.release();
        }
        byte[] bytes = new byte[frames.readableBytes()];
        frames.readBytes(bytes);
        channel.finishAndReleaseAll();
        return bytes;
    }

    /**
     * Sends {@code perSecond} requests a second for {@code duration}, each on a new connection that is reset
     * {@code patience} after the request was sent, as a load tool with a short timeout does. Returns how many.
     */
    public static int abandonedRequests(int port, String path, int perSecond, Duration duration, Duration patience)
            throws InterruptedException {
        byte[] request = HttpLoad.get(port, path).getBytes(StandardCharsets.US_ASCII);
        Deque<Socket> waiting = new ArrayDeque<>();
        Deque<Long> sentAt = new ArrayDeque<>();
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long end = System.nanoTime() + duration.toNanos();
        long next = System.nanoTime();
        int sent = 0;
        while (System.nanoTime() < end || !waiting.isEmpty()) {
            long now = System.nanoTime();
            while (!sentAt.isEmpty() && now - sentAt.peek() > patience.toNanos()) {
                sentAt.poll();
                reset(waiting.poll());
            }
            if (now >= next && now < end) {
                try {
                    Socket socket = connect(port);
                    socket.getOutputStream().write(request);
                    waiting.add(socket);
                    sentAt.add(now);
                    sent++;
                } catch (IOException e) {
                    // refused: the port is full; the attack goes on
                }
                next += interval;
            } else {
                Thread.sleep(1);
            }
        }
        return sent;
    }

    /**
     * {@code concurrent} requests at once, each with a body of {@code bytes} (with Content-Length, or chunked), and
     * the given headers; returns the status lines the server answered, counted ("no answer" when it closed first).
     */
    public static Map<String, Integer> largeBodies(int port, String method, String path, int concurrent, long bytes,
            boolean chunked, String extraHeaders) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(concurrent);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < concurrent; i++) {
                answers.add(clients.submit(() -> sendBody(port, method, path, bytes, chunked, extraHeaders)));
            }
            Map<String, Integer> counted = new TreeMap<>();
            for (Future<String> answer : answers) {
                counted.merge(answer.get(60, TimeUnit.SECONDS), 1, Integer::sum);
            }
            return counted;
        } finally {
            clients.shutdownNow();
        }
    }

    private static String sendBody(int port, String method, String path, long bytes, boolean chunked,
            String extraHeaders) throws IOException {
        try (Socket socket = connect(port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + extraHeaders
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + bytes + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            try {
                for (long written = 0; written < bytes; written += chunk.length) {
                    if (chunked) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(chunk);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (SocketException e) {
                // answered and closed before the whole body was sent: read that answer
            }
            String answer = readLine(socket.getInputStream());
            return answer == null ? "no answer" : answer;
        }
    }

    /**
     * Opens {@code connections} connections that each pipeline {@code requests} requests and never read an answer;
     * returns them for {@link Connections#outcomes()} after the writers are done or stuck.
     */
    public static Connections unreadPipelined(int port, String path, int connections, int requests, Duration writing)
            throws InterruptedException {
        byte[] request = HttpLoad.get(port, path).getBytes(StandardCharsets.US_ASCII);
        List<Socket> sockets = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        Map<Socket, Boolean> done = new ConcurrentHashMap<>();
        for (int i = 0; i < connections; i++) {
            Socket socket;
            try {
                socket = new Socket();
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress(HOST, port), 5_000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sockets.add(socket);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int r = 0; r < requests; r++) {
                        out.write(request);
                    }
                } catch (IOException e) {
                    // closed by the server
                }
                done.put(socket, true);
            }, "unread-pipelined-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join(writing.toMillis());
        }
        return new Connections(sockets, 0);
    }

    /** {@code count} loopback addresses other than 127.0.0.1 (from 127.0.0.2), for attacks from many sources. */
    public static List<String> sourceAddresses(int count) {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            addresses.add("127.0.0." + (2 + i));
        }
        return addresses;
    }

    /** An attack that goes on in the background until closed, and counts what it did. */
    public static final class Flood implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stopped;
        private volatile long connections;
        private volatile long refused;
        private final List<Socket> held = new ArrayList<>();

        private Flood(String name, FloodLoop loop) {
            this.thread = new Thread(() -> loop.run(this), name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Connections made so far. */
        public long connections() {
            return connections;
        }

        /** Connections that could not be made, or were closed before the request could be sent. */
        public long refused() {
            return refused;
        }

        @Override
        public String toString() {
            return connections + " connections, " + refused + " refused";
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(10_000);
            held.forEach(HostileClients::closeQuietly);
        }
    }

    private interface FloodLoop {
        void run(Flood flood);
    }

    /**
     * From each source address in turn, {@code perSecond} new connections a second, each sending one keep-alive
     * {@code GET path} and then staying idle without closing (the answer waits unread in its socket). The client
     * holds the last {@code keep} connections open, closing older ones (by then the server has long closed them, or
     * the port is held by these).
     */
    public static Flood idleKeepAlive(int port, String path, List<String> sources, int perSecond, int keep) {
        byte[] request = HttpLoad.get(port, path).getBytes(StandardCharsets.US_ASCII);
        return new Flood("idle-keep-alive-" + port, flood -> {
            Deque<Socket> open = new ArrayDeque<>();
            long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
            long next = System.nanoTime();
            for (int i = 0; !flood.stopped; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                next += interval;
                try {
                    Socket socket = connectFrom(sources.get(i % sources.size()), port);
                    flood.connections++;
                    open.add(socket);
                    socket.getOutputStream().write(request);
                } catch (IOException e) {
                    flood.refused++;
                }
                while (open.size() > keep) {
                    closeQuietly(open.poll());
                }
            }
            synchronized (flood.held) {
                flood.held.addAll(open);
            }
        });
    }

    /**
     * From each source address in turn, as fast as one thread can: connect, and reset the connection at once
     * (SO_LINGER 0), before sending anything.
     */
    public static Flood connectAndReset(int port, List<String> sources) {
        return new Flood("connect-and-reset-" + port, flood -> {
            for (int i = 0; !flood.stopped; i++) {
                try {
                    Socket socket = connectFrom(sources.get(i % sources.size()), port);
                    flood.connections++;
                    reset(socket);
                } catch (IOException e) {
                    flood.refused++;
                }
            }
        });
    }

    /**
     * As fast as one thread can, from each source address in turn: a {@code PUT /fault} on a new connection with a
     * wrong operator password (a guess), reading the answer.
     */
    public static Flood wrongPasswords(int port, List<String> sources) {
        String body = "{\"failureRate\": 0}";
        String request = "PUT /fault HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                + java.util.Base64.getEncoder().encodeToString("operator:guess".getBytes(StandardCharsets.US_ASCII))
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
                + body;
        return new Flood("wrong-passwords-" + port, flood -> {
            for (int i = 0; !flood.stopped; i++) {
                if (exchangeFrom(sources.get(i % sources.size()), port, request).startsWith("HTTP/1.1")) {
                    flood.connections++;
                } else {
                    flood.refused++;
                }
            }
        });
    }

    /**
     * {@code count} connections from {@code source}, {@code batch} at a time: each sends {@code start} (the start of a
     * request, never all of it), and once the server has had time to read it, each is closed: reset
     * ({@code SO_LINGER} 0) or closed in order.
     */
    public static void cutShort(int port, String source, String start, int count, int batch, boolean reset)
            throws InterruptedException {
        byte[] bytes = start.getBytes(StandardCharsets.US_ASCII);
        for (int done = 0; done < count; done += batch) {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < Math.min(batch, count - done); i++) {
                try {
                    Socket socket = connectFrom(source, port);
                    sockets.add(socket);
                    socket.getOutputStream().write(bytes);
                } catch (IOException e) {
                    // refused or closed by the server: the caller looks at what the server did
                }
            }
            Thread.sleep(200);
            sockets.forEach(socket -> {
                if (reset) {
                    reset(socket);
                } else {
                    closeQuietly(socket);
                }
            });
        }
    }

    /** Sends {@code request} on a new connection from {@code source} and returns the status line answered within 5 s. */
    public static String exchangeFrom(String source, int port, String request) {
        try (Socket socket = connectFrom(source, port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = readLine(socket.getInputStream());
            return answer == null ? "no answer" : answer;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Socket connectFrom(String source, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress(HOST, port), 5_000);
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * A kept-alive connection on which a GET of {@code path} announces a 5-byte body that is sent only once the answer
     * has been read, as a client that writes a body after its head may find (this service answers a GET without
     * reading its body). Ask again on it with {@link #askAgain}.
     */
    public static Socket bodyAfterItsAnswer(int port, String path) throws IOException {
        Socket socket = answered(port, path, "GET " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n");
        socket.getOutputStream().write("12345".getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /**
     * A connection that sends a GET of {@code path} and, in the same write, the start of a next request's head that
     * it never ends; the first answer is read. What comes next: {@link #nextAnswer}.
     */
    public static Socket nextHeadUnfinished(int port, String path) throws IOException {
        return answered(port, path, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\nGET " + path + " HTTP/1.1\r\nHost:");
    }

    /** A new connection on which {@code bytes} were sent and the first answer, a 200, read whole. */
    private static Socket answered(int port, String path, String bytes) throws IOException {
        Socket socket = connect(port);
        socket.setSoTimeout(5_000);
        socket.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
        String first = nextAnswer(socket);
        if (!first.startsWith("HTTP/1.1 200 ")) {
            socket.close();
            throw new IOException("GET " + path + " answered " + first);
        }
        return socket;
    }

    /** Sends a GET of {@code path} on a kept-alive connection: its answer's status line, or what ended the connection. */
    public static String askAgain(Socket socket, String path) {
        try {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return e.toString();
        }
        return nextAnswer(socket);
    }

    /** The status line of the next answer on the connection (within its read timeout), or what ended it. */
    public static String nextAnswer(Socket socket) {
        try {
            return readAnswer(socket.getInputStream());
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Reads one answer with a Content-Length, whole, and returns its status line. */
    private static String readAnswer(InputStream in) throws IOException {
        String head = HttpLoad.readHead(in);
        in.readNBytes((int) Math.max(0, HttpLoad.contentLength(head.toLowerCase(Locale.ROOT))));
        return head.lines().findFirst().orElse("");
    }

    /** Sends a request head (no body, whatever it announces) and returns the status line answered within 5 s. */
    public static String headOnly(int port, String head) throws IOException {
        try (Socket socket = connect(port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            String answer = readLine(socket.getInputStream());
            return answer == null ? "no answer" : answer;
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(HOST, port), 5_000);
        return socket;
    }

    private static String readLine(InputStream in) {
        try {
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1)).readLine();
        } catch (IOException e) {
            return null;
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // closed already
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
