package org.acme.example.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.acme.example.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

/** A real Vert.x timer with a window of 300 ms. */
class LogWindowTest {

    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger counted = new AtomicInteger();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final LogWindow window = new LogWindow(vertx, Duration.ofMillis(300), this::summary, logged::add);

    @AfterEach
    void close() {
        vertx.close();
    }

    private String summary() {
        int events = counted.getAndSet(0);
        return events == 0 ? null : events + " more";
    }

    @Test
    void theFirstEventAtOnceTheOthersSummedUpOncePerWindow() throws InterruptedException {
        assertTrue(window.opened(), "the first event is logged in full");
        for (int i = 0; i < 1000; i++) {
            assertFalse(window.opened());
            counted.incrementAndGet();
        }
        Poll.until("the summary", Duration.ofSeconds(5), () -> logged.isEmpty() ? null : true, logged::toString);
        assertEquals(List.of("1000 more"), logged);

        // The next window had no events: it closes quietly, and the next event is logged in full again.
        Thread.sleep(700);
        assertEquals(List.of("1000 more"), logged);
        assertTrue(window.opened());
    }
}
