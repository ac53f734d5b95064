package org.acme.example.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * What one HTTP connection may hold and how long it may take, whatever the client does. Two Netty handlers share
 * this state, both on the connection's event loop:
 * <ul>
 * <li>the front handler, first in the pipeline, sees the raw bytes: it refuses the HTTP/2 connection preface, and
 * starts the request-head deadline when the connection is accepted and when the first byte of a later head
 * arrives (between requests, a body that comes after its answer included, the keep-alive timeout applies);</li>
 * <li>the requests handler, between Vert.x' HTTP/1.x codec and its request handler, sees requests and answers: it
 * ends the deadline when the head is complete; closes the connection when more than {@link #maxPipelined}
 * requests wait for their answers; hands Vert.x at most that many per read and none while the client does not read
 * its answers (holding the others); and removes the upgrade from an {@code Upgrade: h2c} request.</li>
 * </ul>
 * Both tell the connection's {@link ConnectionSlots.Slot slot} whether it is idle: from the moment a request head is
 * complete until its answer is written, the slot is busy; a connection whose slot was given to a newcomer meanwhile is
 * closed instead of being handed the request. A connection idle for {@link #KEEP_ALIVE_TIMEOUT} between requests is
 * closed.
 * <p>
 * So a connection holds at most {@link #maxPipelined} requests and one unfinished head (each at most
 * {@code max-header-size}), and its unread answers up to the write-buffer high-water mark ({@link AcceptGuard})
 * plus the answer being written; and a client that pipelines many requests takes its turn on the event loop like
 * the others, instead of thousands of answers at once.
 */
final class ConnectionGuard {

    /** The first bytes of an HTTP/2 connection preface ({@code PRI * HTTP/2.0}); no HTTP/1.x method starts so. */
    private static final byte[] HTTP2_PREFACE_START = "PRI".getBytes(StandardCharsets.US_ASCII);
    /** Vert.x' HTTP/1.x encoder: the requests handler goes right after it (see {@link #insertRequestsHandler}). */
    static final String VERTX_HTTP_ENCODER = "httpEncoder";
    /** The handlers' names in the connection's pipeline (which is how they are found, not by class: dev mode). */
    static final String FRONT = "example.connection-guard.front";
    static final String REQUESTS = "example.connection-guard.requests";

    /** Sent before a connection whose request head is refused here is closed (Vert.x answers its own refusals). */
    private static final Map<HeadRefusal, byte[]> CLOSING_ANSWERS = Map.of(
            HeadRefusal.TIMEOUT, closingAnswer(HeadRefusal.TIMEOUT),
            HeadRefusal.LINES, closingAnswer(HeadRefusal.LINES),
            HeadRefusal.MEMORY, closingAnswer(HeadRefusal.MEMORY));

    /**
     * How long a kept-alive connection may wait for its next request. Short, as its slot is only given away when the
     * port is full; a request waiting out its simulated latency is not idle. Probes open a new connection each time,
     * and Prometheus opens one again when it finds its connection closed.
     */
    static final Duration KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(30);

    private final long headTimeoutNanos;
    private final int maxPipelined;
    private final boolean refuseUpgrade;
    private final ConnectionSlots.Slot slot;
    private final HeadLimits headLimits;
    private final RequestHeadScanner heads;
    /** What this connection's unfinished head holds of {@link UnfinishedHeads}' budget. */
    private long headCharged;
    private final FrontHandler front = new FrontHandler();
    private final RequestsHandler requests = new RequestsHandler();

    private boolean requestsInPlace;
    private int prefaceBytesSeen;
    private ScheduledFuture<?> headDeadline;
    private ScheduledFuture<?> keepAliveDeadline;
    /** Requests received (held here or handed to Vert.x) whose answer has not been written completely yet. */
    private int waiting;
    /** Requests handed to Vert.x since the last read began. */
    private int passedInRead;
    /** Messages received but not handed to Vert.x yet, in order. */
    private final ArrayDeque<Object> held = new ArrayDeque<>();

    /**
     * @param refuseUpgrade whether to remove {@code Upgrade} from requests: Vert.x would switch to HTTP/2 where it
     *        cannot be configured not to (the management port)
     */
    ConnectionGuard(long headTimeoutNanos, int maxPipelined, boolean refuseUpgrade, HeadLimits headLimits,
            ConnectionSlots.Slot slot) {
        this.headTimeoutNanos = headTimeoutNanos;
        this.maxPipelined = maxPipelined;
        this.refuseUpgrade = refuseUpgrade;
        this.headLimits = headLimits;
        this.heads = new RequestHeadScanner(headLimits.maxHeaderLines());
        this.slot = slot;
    }

    /** First in the pipeline; the requests handler follows once Vert.x has built its HTTP/1.x codec. */
    void addTo(ChannelPipeline pipeline) {
        pipeline.addFirst(FRONT, front);
    }

    private final class FrontHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            insertRequestsHandler(ctx);
            // A new connection's first head is due from the moment it is accepted, so that one sending nothing is
            // not kept until the idle timeout.
            startHeadDeadline(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf bytes) || !bytes.isReadable()) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (prefaceBytesSeen < HTTP2_PREFACE_START.length && isHttp2Preface(bytes)) {
                bytes.release();
                ctx.close();
                headLimits.refused().accept(HeadRefusal.HTTP2, slot.address());
                return;
            }
            passHeads(ctx, bytes);
            // A head that arrives whole in one read, as almost all do, needs no timer: one is started only when a read
            // ends within a head. Not on the bytes of a body that come after their answer (the JDK's client, for one,
            // sends a body after its head): the connection then waits for its next request, under the keep-alive
            // timeout.
            if (heads.headUnfinished() && ctx.channel().isActive()) {
                cancelKeepAliveDeadline();
                if (waiting == 0 && headDeadline == null) {
                    startHeadDeadline(ctx);
                }
            }
        }

        /**
         * Hands the bytes on a head at a time (see {@link RequestHeadScanner}); refuses a head with too many header
         * lines, and an unfinished one that would pass the memory all unfinished heads may hold.
         */
        private void passHeads(ChannelHandlerContext ctx, ByteBuf bytes) {
            while (true) {
                int next = heads.next(bytes);
                if (next == RequestHeadScanner.TOO_MANY_LINES) {
                    bytes.release();
                    refuseHead(ctx, HeadRefusal.LINES);
                    return;
                }
                if (!ctx.channel().isActive()) {
                    bytes.release();
                    return;
                }
                if (next == bytes.readableBytes()) {
                    pass(ctx, bytes);
                    break;
                }
                pass(ctx, bytes.readRetainedSlice(next));
            }
            long holds = heads.headUnfinished() ? UnfinishedHeads.cost(heads.headBytes(), heads.headerLines()) : 0;
            if (holds > headCharged) {
                if (!headLimits.unfinished().charge(holds - headCharged)) {
                    refuseHead(ctx, HeadRefusal.MEMORY);
                    return;
                }
                headCharged = holds;
            } else if (holds == 0) {
                releaseHeadCharge();
            }
        }

        private void pass(ChannelHandlerContext ctx, ByteBuf bytes) {
            if (requestsInPlace) {
                ctx.fireChannelRead(bytes);
                return;
            }
            // Vert.x chooses between HTTP/1.x and HTTP/2 on the first bytes and only then builds its HTTP/1.x pipeline
            // (on the management port, where h2c cannot be switched off). Hand the bytes over one at a time until
            // the codec is there, so that the requests handler is in place before the first head is decoded.
            while (bytes.isReadable() && !requestsInPlace) {
                ctx.fireChannelRead(bytes.readRetainedSlice(1));
                insertRequestsHandler(ctx);
            }
            if (bytes.isReadable()) {
                ctx.fireChannelRead(bytes);
            } else {
                bytes.release();
            }
        }

        /** Whether the connection's first bytes so far are those of an HTTP/2 preface (they may span reads). */
        private boolean isHttp2Preface(ByteBuf bytes) {
            int index = bytes.readerIndex();
            while (prefaceBytesSeen < HTTP2_PREFACE_START.length && index < bytes.writerIndex()) {
                if (bytes.getByte(index++) != HTTP2_PREFACE_START[prefaceBytesSeen]) {
                    prefaceBytesSeen = Integer.MAX_VALUE;
                    return false;
                }
                prefaceBytesSeen++;
            }
            return prefaceBytesSeen == HTTP2_PREFACE_START.length;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            releaseHeadCharge();
            cancelHeadDeadline();
            cancelKeepAliveDeadline();
            ctx.fireChannelInactive();
        }

        @Override
        public void channelUnregistered(ChannelHandlerContext ctx) {
            // After every handler, Vert.x' included, has seen the connection close.
            slot.gone();
            ctx.fireChannelUnregistered();
        }
    }

    /** An empty answer with the refusal's status, after which the connection is closed. */
    private static byte[] closingAnswer(HeadRefusal refusal) {
        return ("HTTP/1.1 " + ClientErrors.statusLine(refusal.status) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Answers and closes the connection, and tells {@link HeadLimits#refused} why. */
    private void refuseHead(ChannelHandlerContext ctx, HeadRefusal refusal) {
        releaseHeadCharge();
        cancelHeadDeadline();
        ctx.writeAndFlush(Unpooled.wrappedBuffer(CLOSING_ANSWERS.get(refusal))).addListener(ChannelFutureListener.CLOSE);
        headLimits.refused().accept(refusal, slot.address());
    }

    private void releaseHeadCharge() {
        if (headCharged > 0) {
            headLimits.unfinished().release(headCharged);
            headCharged = 0;
        }
    }

    private void startHeadDeadline(ChannelHandlerContext ctx) {
        headDeadline = ctx.executor().schedule(() -> {
            headDeadline = null;
            refuseHead(ctx, HeadRefusal.TIMEOUT);
        }, headTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void insertRequestsHandler(ChannelHandlerContext ctx) {
        if (!requestsInPlace && ctx.pipeline().get(VERTX_HTTP_ENCODER) != null) {
            ctx.pipeline().addAfter(VERTX_HTTP_ENCODER, REQUESTS, requests);
            requestsInPlace = true;
        }
    }

    private void cancelHeadDeadline() {
        if (headDeadline != null) {
            headDeadline.cancel(false);
            headDeadline = null;
        }
    }

    /** Every answer is out and no request waits: the connection is idle until its next request begins. */
    private void becomeIdle(ChannelHandlerContext ctx) {
        if (waiting > 0 || !ctx.channel().isActive()) {
            return;
        }
        slot.idle(System.nanoTime());
        cancelKeepAliveDeadline();
        if (heads.headUnfinished()) {
            // The next head began while the last answer was being written: it is due from now.
            if (headDeadline == null) {
                startHeadDeadline(ctx);
            }
            return;
        }
        keepAliveDeadline = ctx.executor().schedule(() -> {
            if (slot.evict()) {
                ctx.close();
            }
        }, KEEP_ALIVE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelKeepAliveDeadline() {
        if (keepAliveDeadline != null) {
            keepAliveDeadline.cancel(false);
            keepAliveDeadline = null;
        }
    }

    private final class RequestsHandler extends ChannelDuplexHandler {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof LastHttpContent) {
                heads.requestEnded();
            }
            if (!(msg instanceof HttpRequest request)) {
                if (held.isEmpty()) {
                    ctx.fireChannelRead(msg); // the body of a request let through
                } else {
                    held.add(msg);
                }
                return;
            }
            cancelHeadDeadline();
            heads.requestHead(bodyLength(request), request.decoderResult().isFailure());
            releaseHeadCharge();
            if (request.decoderResult().isFailure()) {
                // Vert.x answers it (414, 431 or 400) and closes the connection; the first two are denials.
                HeadRefusal refusal = HeadRefusal.byDecoder(request.decoderResult().cause());
                if (refusal != null) {
                    headLimits.refused().accept(refusal, slot.address());
                }
            }
            if (!slot.busy()) {
                // Its slot went to a newcomer while the connection was idle: as if closed by an idle timeout.
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            if (++waiting > maxPipelined) {
                // More requests than allowed wait for their answers (held here, or queued in Vert.x).
                ReferenceCountUtil.release(msg);
                ctx.close();
                headLimits.refused().accept(HeadRefusal.PIPELINED, slot.address());
                return;
            }
            if (refuseUpgrade) {
                request.headers().remove(HttpHeaderNames.UPGRADE);
            }
            if (held.isEmpty() && mayPass(ctx)) {
                passedInRead++;
                ctx.fireChannelRead(msg);
            } else {
                held.add(msg);
            }
        }

        /** The bytes of the request's body that follow its head: -1 when chunked. */
        private long bodyLength(HttpRequest request) {
            if (HttpUtil.isTransferEncodingChunked(request)) {
                return -1;
            }
            try {
                return HttpUtil.getContentLength(request, 0L);
            } catch (NumberFormatException e) {
                return -1; // the decoder refuses such a request; the scanner then looks at line ends
            }
        }

        /** Up to {@link #maxPipelined} requests per read, and none while the client does not read its answers. */
        private boolean mayPass(ChannelHandlerContext ctx) {
            return passedInRead < maxPipelined && ctx.channel().isWritable();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            passedInRead = 0;
            if (!held.isEmpty()) {
                // The next batch goes after the other connections have had their turn on the event loop.
                ctx.executor().execute(() -> release(ctx));
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            release(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void release(ChannelHandlerContext ctx) {
            boolean released = false;
            while (!held.isEmpty() && ctx.channel().isActive()) {
                if (held.peek() instanceof HttpRequest) {
                    if (!mayPass(ctx)) {
                        break;
                    }
                    passedInRead++;
                }
                ctx.fireChannelRead(held.poll());
                released = true;
            }
            if (released) {
                // Vert.x writes its answers out when a read completes.
                ctx.fireChannelReadComplete();
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent && waiting > 0 && --waiting == 0) {
                // Idle once the answer has left, not while it still waits in the write buffer.
                ChannelPromise written = promise.unvoid();
                written.addListener(done -> becomeIdle(ctx));
                ctx.write(msg, written);
                return;
            }
            ctx.write(msg, promise);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
        }
    }
}
