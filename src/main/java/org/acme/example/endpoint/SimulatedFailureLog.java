package org.acme.example.endpoint;

import org.acme.example.fault.FaultPolicy;
import org.acme.example.fault.FaultRules;
import org.acme.example.http.LogWindow;

import java.time.Duration;
import java.util.StringJoiner;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

/**
 * Simulated failures in the log, as a real service's errors would be, without a line per failure: the first one at
 * once, then at most one WARN line per {@link #WINDOW} summing up the others by status, each with where the current
 * fault settings come from. This is what the alerts' descriptions send a reader to. With this category at DEBUG,
 * every failure is logged too (with its trace id when tracing is on).
 */
// A singleton, not a client proxy: in dev mode, an /example request still answered by the previous start (across a
// live reload) reaches it directly. Through a proxy it would look up the new start's container and put this old
// class's instance there, where the new classes then fail with a ClassCastException.
@Singleton
public class SimulatedFailureLog {

    private static final Logger LOG = Logger.getLogger(SimulatedFailureLog.class);
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int FIRST_STATUS = 429;

    private final FaultPolicy policy;
    private final LogWindow window;
    private final LongAdder answers = new LongAdder();
    /** By status - 429: a counter for each status a failure can have (429 and 500 to 599). */
    private final LongAdder[] failures = new LongAdder[600 - FIRST_STATUS];

    SimulatedFailureLog(FaultPolicy policy, Vertx vertx) {
        this.policy = policy;
        this.window = new LogWindow(vertx, WINDOW, this::summary, LOG::warn);
        for (int i = 0; i < failures.length; i++) {
            failures[i] = new LongAdder();
        }
    }

    void answered(int status) {
        answers.increment();
        if (!FaultRules.isFailureStatus(status)) {
            return;
        }
        if (window.opened()) {
            LOG.warnf("Answered a request to /example with a simulated failure (%d); the fault settings come from %s"
                    + " (GET /fault on the management port). Further ones are summed up every %d s.", status,
                    policy.state().describeSource(), WINDOW.toSeconds());
        } else {
            failures[status - FIRST_STATUS].increment();
            // One line per failure only when asked for (a category at DEBUG): with tracing on it carries the trace
            // id that the latency histogram's exemplar of that request points to.
            LOG.debugf("Answered a request to /example with a simulated failure (%d)", status);
        }
    }

    private String summary() {
        long total = answers.sumThenReset();
        long failed = 0;
        StringJoiner byStatus = new StringJoiner(", ");
        for (int i = 0; i < failures.length; i++) {
            long count = failures[i].sumThenReset();
            if (count > 0) {
                failed += count;
                byStatus.add((i + FIRST_STATUS) + ": " + count);
            }
        }
        if (failed == 0) {
            return null;
        }
        return "Answered " + failed + " more requests to /example with a simulated failure in the last "
                + WINDOW.toSeconds() + " s (" + byStatus + "), of " + total + " answered; the fault settings come from "
                + policy.state().describeSource() + " (GET /fault on the management port)";
    }
}
