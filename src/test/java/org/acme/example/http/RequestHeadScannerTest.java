package org.acme.example.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class RequestHeadScannerTest {

    private final RequestHeadScanner scanner = new RequestHeadScanner(3);

    @Test
    void aWholeHeadIsPassedUpToItsEnd() {
        ByteBuf bytes = bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /next");
        assertEquals("GET / HTTP/1.1\r\nHost: x\r\n\r\n".length(), scanner.next(bytes));
        assertFalse(scanner.headUnfinished());
    }

    @Test
    void linesAreCountedAcrossReadsAndTooManyRefused() {
        assertEquals(21, scanner.next(bytes("GET / HTTP/1.1\r\na:\r\nb")));
        assertTrue(scanner.headUnfinished());
        assertEquals(1, scanner.headerLines());
        assertEquals(7, scanner.next(bytes(":\r\nc:\r\n")));
        assertEquals(3, scanner.headerLines());
        assertEquals(21 + 7, scanner.headBytes());
        assertEquals(RequestHeadScanner.TOO_MANY_LINES, scanner.next(bytes("d:\r\n")));
    }

    @Test
    void aLineEndSplitBetweenReadsStillEndsTheHead() {
        scanner.next(bytes("GET / HTTP/1.1\r\nHost: x\r\n\r"));
        assertEquals(1, scanner.next(bytes("\nGET")));
        assertFalse(scanner.headUnfinished());
    }

    @Test
    void aBodyOfKnownLengthIsPassedWholeAndNotCounted() {
        String head = "PUT /fault HTTP/1.1\r\nContent-Length: 12\r\n\r\n";
        ByteBuf bytes = bytes(head + "a:\r\nb:\r\nc:\r\nGET / HTTP/1.1\r\n");
        assertEquals(head.length(), scanner.next(bytes));
        scanner.requestHead(12, false);
        bytes.skipBytes(head.length());
        assertEquals(12, scanner.next(bytes));
        bytes.skipBytes(12);
        scanner.requestEnded();
        assertEquals(16, scanner.next(bytes));
        assertTrue(scanner.headUnfinished());
        assertEquals(0, scanner.headerLines());
    }

    @Test
    void aChunkedBodyIsPassedALineAtATime() {
        scanner.next(bytes("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
        scanner.requestHead(-1, false);
        assertEquals(3, scanner.next(bytes("4\r\nabcd\r\n0\r\n\r\n")));
    }

    @Test
    void emptyLinesBeforeARequestLineAreNotItsEnd() {
        assertEquals(4 + 16, scanner.next(bytes("\r\n\r\nGET / HTTP/1.1\r\n")));
        assertTrue(scanner.headUnfinished());
    }

    @Test
    void afterARefusedRequestEverythingIsPassed() {
        scanner.next(bytes("GET / HTTP/1.1\r\n\r\n"));
        scanner.requestHead(0, true);
        scanner.requestEnded();
        assertEquals(12, scanner.next(bytes("a:\r\nb:\r\nc:\r\n")));
        assertFalse(scanner.headUnfinished());
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
