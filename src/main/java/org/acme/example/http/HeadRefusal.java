package org.acme.example.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Why a request head was refused and its connection closed, as the {@code reason} of
 * {@code example_request_heads_refused_total}: by {@link ConnectionGuard} (a timeout, too many header lines, no memory
 * left for unfinished heads, one request more than may wait for answers, an HTTP/2 connection preface), or by Vert.x'
 * decoder (a head or a request line over its size limit).
 */
enum HeadRefusal {

    TIMEOUT("timeout", 408),
    LINES("lines", 431),
    MEMORY("memory", 503),
    SIZE("size", 431),
    REQUEST_LINE("request-line", 414),
    PIPELINED("pipelined"),
    HTTP2("http2");

    /** The metric's {@code reason}. */
    final String tag;
    /** What the client was answered before its connection was closed; 0: nothing. */
    final int status;

    HeadRefusal(String tag, int status) {
        this.tag = tag;
        this.status = status;
    }

    /** Closed without an answer. */
    HeadRefusal(String tag) {
        this(tag, 0);
    }

    /**
     * How Vert.x refuses a head its decoder failed on: 414 and 431 for the size limits; null for a malformed head, which
     * is answered 400 as a client error, not a denial.
     */
    static HeadRefusal byDecoder(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return REQUEST_LINE;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return SIZE;
        }
        return null;
    }
}
