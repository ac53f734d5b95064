package org.acme.example.http;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.vertx.core.Vertx;

/**
 * The log of one kind of denial (a full port, wrong credentials...), which any client can cause as often as it likes:
 * the first denial is logged at once, the following ones of each {@link LogWindow window} in one line with how many
 * there were of each outcome and the source addresses with the most. The addresses counted per window are bounded
 * ({@link #MAX_ADDRESSES}); the others are only counted together.
 * <p>
 * For what clients also do in good faith now and then (reset a connection, send a head too slowly), a {@link #flood}
 * log says nothing of a single one: only a window with at least its threshold of them is logged, in one line.
 */
public final class DenialLog {

    public static final Duration WINDOW = Duration.ofSeconds(10);
    /** Enough to name every client of a real attack but a spoofed or very wide one, whose others are summed up. */
    static final int MAX_ADDRESSES = 256;
    /** Addresses named in a summary line. */
    static final int TOP = 5;

    private final String what;
    /** Denials a window needs to be logged; 0: each window's first is logged at once, and the rest summed up. */
    private final long threshold;
    private final Consumer<String> log;
    private final LogWindow window;
    private final Map<String, Long> outcomes = new LinkedHashMap<>();
    private final Map<String, Long> byAddress = new HashMap<>();
    private long fromOtherAddresses;

    /**
     * @param what the start of each line, such as "Port 8080 (http) full"
     * @param log where the lines go (a logger's warn, say)
     */
    public DenialLog(Vertx vertx, String what, Consumer<String> log) {
        this(vertx, what, 0, log);
    }

    private DenialLog(Vertx vertx, String what, long threshold, Consumer<String> log) {
        this.what = what;
        this.threshold = threshold;
        this.log = log;
        this.window = new LogWindow(vertx, WINDOW, this::summary, log);
    }

    /**
     * The log of a kind of denial that only means something in numbers: a window is logged (in one line) only when
     * it has at least {@code threshold} of them.
     */
    public static DenialLog flood(Vertx vertx, String what, long threshold, Consumer<String> log) {
        if (threshold < 1) {
            throw new IllegalArgumentException("a flood needs a threshold of at least 1, got " + threshold);
        }
        return new DenialLog(vertx, what, threshold, log);
    }

    /**
     * One denial.
     *
     * @param outcome what the client got, counted: "connections refused at accept", say
     * @param address the client's address, as text (never anything the client sent)
     * @param firstLine for the first denial of a window, logged in full: what happened, made only then (with any text
     *        the client chose {@link LogText escaped})
     */
    public void record(String outcome, String address, Supplier<String> firstLine) {
        if (window.opened() && threshold == 0) {
            log.accept(firstLine.get());
            return;
        }
        synchronized (this) {
            outcomes.merge(outcome, 1L, Long::sum);
            if (byAddress.containsKey(address) || byAddress.size() < MAX_ADDRESSES) {
                byAddress.merge(address, 1L, Long::sum);
            } else {
                fromOtherAddresses++;
            }
        }
    }

    /** One denial of a {@link #flood}, counted for its window's line (if the window reaches the threshold). */
    public void record(String outcome, String address) {
        record(outcome, address, () -> null);
    }

    private synchronized String summary() {
        if (outcomes.isEmpty()) {
            return null;
        }
        if (outcomes.values().stream().mapToLong(Long::longValue).sum() < threshold) {
            clear();
            return null;
        }
        String counts = outcomes.entrySet().stream().map(entry -> entry.getValue() + " " + entry.getKey())
                .collect(Collectors.joining(", "));
        var ranked = byAddress.entrySet().stream()
                .sorted(Map.Entry.<String, Long> comparingByValue().reversed()).toList();
        String top = ranked.stream().limit(TOP).map(entry -> entry.getKey() + " (" + entry.getValue() + ")")
                .collect(Collectors.joining(", "));
        long fromOthers = fromOtherAddresses + ranked.stream().skip(TOP).mapToLong(Map.Entry::getValue).sum();
        String others = fromOthers == 0 ? ""
                : "; " + fromOthers + " from " + (fromOtherAddresses > 0 ? "more than " : "")
                        + Math.max(0, ranked.size() - TOP) + " other addresses";
        clear();
        return what + ": " + counts + " in the last " + WINDOW.toSeconds() + " s; most from " + top + others;
    }

    private void clear() {
        outcomes.clear();
        byAddress.clear();
        fromOtherAddresses = 0;
    }
}
