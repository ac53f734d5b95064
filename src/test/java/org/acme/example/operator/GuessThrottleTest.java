package org.acme.example.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class GuessThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstThenTwoASecond() {
        long now = 5 * SECOND;
        GuessThrottle throttle = new GuessThrottle(now);
        for (int i = 0; i < GuessThrottle.BURST; i++) {
            assertTrue(throttle.tryAcquire(now), "guess " + i);
        }
        assertFalse(throttle.tryAcquire(now));
        assertEquals(Duration.ofMillis(500), throttle.retryAfter(now));
        assertFalse(throttle.tryAcquire(now + SECOND / 2 - 1));
        assertTrue(throttle.tryAcquire(now + SECOND / 2));
        assertFalse(throttle.tryAcquire(now + SECOND / 2));
        // Ten seconds later: 20 tokens' worth, but never more than the burst.
        long later = now + 10 * SECOND;
        int allowed = 0;
        while (throttle.tryAcquire(later)) {
            allowed++;
        }
        assertEquals(GuessThrottle.BURST, allowed);
    }

    /** The operator's own attempts give their token back: right credentials never run the bucket dry. */
    @Test
    void theRightCredentialsGiveTheTokenBack() {
        GuessThrottle throttle = new GuessThrottle(0);
        for (int i = 0; i < 100; i++) {
            assertTrue(throttle.tryAcquire(0));
            throttle.refund();
        }
        assertEquals(Duration.ZERO, throttle.retryAfter(0));
    }

    /** Over any stretch of time, at most BURST + PER_SECOND * seconds wrong guesses are checked. */
    @Test
    void theRateHoldsOverTime() {
        GuessThrottle throttle = new GuessThrottle(0);
        int checked = 0;
        for (long t = 0; t <= 60 * SECOND; t += SECOND / 1000) { // a guess every millisecond for a minute
            if (throttle.tryAcquire(t)) {
                checked++;
            }
        }
        assertEquals(GuessThrottle.BURST + 60 * GuessThrottle.PER_SECOND, checked, 1);
    }
}
