package org.acme.example.saturation;

import org.acme.example.Durations;

import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

/**
 * Ends the process with an exit code after a delay, as a crash does: {@code Runtime.halt}, no graceful shutdown. The
 * exit is logged as deliberate when it is scheduled and again just before it happens, so that no one hunts a bug.
 * A change of the delay schedules again from then; the end of the setting cancels it.
 */
final class DeliberateCrash {

    private static final Logger LOG = Logger.getLogger(DeliberateCrash.class);

    private Thread timer;
    private Duration after;
    private int exitCode;
    private volatile Instant at;

    synchronized void schedule(Duration next, int code, String setBy) {
        if (next == null) {
            if (timer != null) {
                LOG.infof("Deliberate crash cancelled (%s)", setBy);
            }
            cancel();
            return;
        }
        if (next.equals(after) && code == exitCode) {
            return;
        }
        cancel();
        after = next;
        exitCode = code;
        at = Instant.now().plus(next);
        LOG.warnf("Deliberate crash scheduled by %s: the process exits with code %d in %s (at %s)", setBy, code,
                Durations.format(next), at);
        Thread thread = new Thread(() -> {
            try {
                Thread.sleep(next.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            LOG.errorf("Deliberate crash (fault setting crashAfter %s): exiting with code %d now",
                    Durations.format(next), code);
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        }, "deliberate-crash");
        thread.setDaemon(true);
        timer = thread;
        thread.start();
    }

    synchronized void cancel() {
        if (timer != null) {
            timer.interrupt();
            timer = null;
        }
        after = null;
        at = null;
    }

    /** Seconds until the exit; -1 when none is scheduled. */
    double remainingSeconds() {
        Instant end = at;
        return end == null ? -1 : Math.max(0, Duration.between(Instant.now(), end).toMillis() / 1000.0);
    }
}
