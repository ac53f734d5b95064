package org.acme.example.http;

import io.netty.buffer.ByteBuf;

/**
 * Where the request heads are in the bytes a connection receives, and how many lines the one being received has so
 * far, seen before Netty's HTTP/1.x decoder gets the bytes: the decoder keeps every header line of an unfinished head
 * decoded, with no bound on their number but the head's size, and says nothing before the head is complete.
 * <p>
 * The owner hands the decoder the bytes {@link #next} says, no more, and tells this scanner what the decoder made of
 * them ({@link #requestHead}, {@link #requestEnded}), so that a body is never scanned as a head: the bytes of a body
 * whose length is known are passed in one piece, those of a chunked one a line at a time (its end is a line end).
 */
final class RequestHeadScanner {

    /** {@link #next}'s answer when the head has more header lines than allowed. */
    static final int TOO_MANY_LINES = -1;
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final int maxHeaderLines;
    private boolean inHead = true;
    /** After a request the decoder refused: it discards the rest, and the connection is being closed. */
    private boolean discarding;
    /** Non-empty lines of the head being received, its request line included. */
    private int lines;
    /** Bytes of the head being received. */
    private long bytes;
    /** Bytes of the line being received, and the last of them (a line may span reads). */
    private int lineBytes;
    private byte lastByte;
    /**
     * Bytes of the current body not passed yet, when its length is known; -1 when chunked (or all passed without the
     * decoder ending the request, which it then ends at a line end).
     */
    private long bodyLeft = -1;

    RequestHeadScanner(int maxHeaderLines) {
        this.maxHeaderLines = maxHeaderLines;
    }

    /**
     * How many of the readable bytes, from the reader index, to hand to the decoder next: up to the end of the head
     * being received, or all of them when it does not end in them; {@link #TOO_MANY_LINES} when they give the head
     * more header lines than allowed.
     */
    int next(ByteBuf buffer) {
        int from = buffer.readerIndex();
        int to = buffer.writerIndex();
        if (discarding) {
            return to - from;
        }
        if (!inHead) {
            if (bodyLeft > 0) {
                int body = (int) Math.min(bodyLeft, to - from);
                bodyLeft -= body;
                return body;
            }
            int lf = buffer.indexOf(from, to, LF);
            return lf < 0 ? to - from : lf + 1 - from;
        }
        int index = from;
        while (true) {
            int lf = buffer.indexOf(index, to, LF);
            if (lf < 0) {
                if (to > index) {
                    lineBytes += to - index;
                    lastByte = buffer.getByte(to - 1);
                }
                bytes += to - from;
                return to - from;
            }
            int length = lineBytes + lf - index;
            byte before = lf > index ? buffer.getByte(lf - 1) : lastByte;
            boolean empty = length == 0 || (length == 1 && before == CR);
            lineBytes = 0;
            index = lf + 1;
            if (empty && lines > 0) {
                // The head ends here; what follows is its body, or the next head once the decoder says the request ended.
                headEnded();
                return index - from;
            }
            // Empty lines before a request line are skipped by the decoder, which keeps nothing of them.
            if (!empty && ++lines > maxHeaderLines + 1) {
                return TOO_MANY_LINES;
            }
        }
    }

    /**
     * The decoder made a request of a head: its body follows ({@code bodyLength} bytes, or -1 when chunked), or
     * nothing more will be decoded ({@code failed}).
     */
    void requestHead(long bodyLength, boolean failed) {
        headEnded();
        bodyLeft = bodyLength;
        discarding = failed;
    }

    /** The decoder ended the current request (its body included): a new head begins. */
    void requestEnded() {
        if (!discarding) {
            inHead = true;
        }
    }

    /** Whether part of a head has been received and not all of it. */
    boolean headUnfinished() {
        return inHead && bytes > 0;
    }

    long headBytes() {
        return bytes;
    }

    /** Header lines of the head being received (its request line not counted). */
    int headerLines() {
        return Math.max(0, lines - 1);
    }

    private void headEnded() {
        inHead = false;
        lines = 0;
        bytes = 0;
        lineBytes = 0;
    }
}
