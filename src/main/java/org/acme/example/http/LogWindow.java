package org.acme.example.http;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.vertx.core.Vertx;

/**
 * Keeps a frequent event from flooding the log: the first event is logged in full at once and opens a window; the
 * events of that window are summed up in one line when it closes, which opens the next window; a window without
 * events closes quietly. So an endless stream of events costs one line per window, and a single event one line at once.
 */
public final class LogWindow {

    private final Vertx vertx;
    private final Duration window;
    private final Supplier<String> summary;
    private final Consumer<String> log;
    private volatile boolean open;

    /**
     * @param summary the line for the events of the window that just closed, or null when there were none
     * @param log where a summary line goes
     */
    public LogWindow(Vertx vertx, Duration window, Supplier<String> summary, Consumer<String> log) {
        this.vertx = vertx;
        this.window = window;
        this.summary = summary;
        this.log = log;
    }

    /**
     * Reports one event. Returns true if it opened a window: the caller logs it in full now. Otherwise the caller
     * only counts it, for the summary.
     */
    public boolean opened() {
        if (open) { // the common case under a stream of events, without a lock
            return false;
        }
        synchronized (this) {
            if (open) {
                return false;
            }
            open();
            return true;
        }
    }

    private void open() {
        open = true;
        vertx.setTimer(window.toMillis(), id -> close());
    }

    private synchronized void close() {
        String line = summary.get();
        if (line == null) {
            open = false;
            return;
        }
        log.accept(line);
        open();
    }
}
