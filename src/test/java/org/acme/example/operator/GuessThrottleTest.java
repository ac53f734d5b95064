package org.acme.example.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class GuessThrottleTest {

    private static final long SECOND = 1_000_000_000L;
    private static final String ATTACKER = "10.0.0.66";
    private static final String OPERATOR = "10.0.0.1";

    @Test
    void aBurstThenTwoASecondPerAddress() {
        long now = 5 * SECOND;
        GuessThrottle throttle = new GuessThrottle(now);
        for (int i = 0; i < GuessThrottle.BURST; i++) {
            assertTrue(throttle.tryAcquire(ATTACKER, now), "guess " + i);
        }
        assertFalse(throttle.tryAcquire(ATTACKER, now));
        assertEquals(Duration.ofMillis(500), throttle.retryAfter(ATTACKER, now));
        assertFalse(throttle.tryAcquire(ATTACKER, now + SECOND / 2 - 1));
        assertTrue(throttle.tryAcquire(ATTACKER, now + SECOND / 2));
        assertFalse(throttle.tryAcquire(ATTACKER, now + SECOND / 2));
        // Ten seconds later: 20 tokens' worth, but never more than the burst.
        long later = now + 10 * SECOND;
        int allowed = 0;
        while (throttle.tryAcquire(ATTACKER, later)) {
            allowed++;
        }
        assertEquals(GuessThrottle.BURST, allowed);
    }

    /** A flood from one address leaves another's attempts checked. */
    @Test
    void anotherAddressIsNotThrottledByAFlood() {
        GuessThrottle throttle = new GuessThrottle(0);
        for (long t = 0; t <= 10 * SECOND; t += SECOND / 1000) {
            throttle.tryAcquire(ATTACKER, t);
        }
        assertTrue(throttle.tryAcquire(OPERATOR, 10 * SECOND));
        assertEquals(Duration.ZERO, throttle.retryAfter(OPERATOR, 10 * SECOND));
    }

    /** The operator's own attempts give their tokens back: right credentials never run the buckets dry. */
    @Test
    void theRightCredentialsGiveTheTokensBack() {
        GuessThrottle throttle = new GuessThrottle(0);
        for (int i = 0; i < 100; i++) {
            assertTrue(throttle.tryAcquire(OPERATOR, 0));
            throttle.refund(OPERATOR);
        }
        assertEquals(Duration.ZERO, throttle.retryAfter(OPERATOR, 0));
    }

    /** Over any stretch of time, at most BURST + PER_SECOND * seconds wrong guesses are checked per address. */
    @Test
    void theRateHoldsOverTime() {
        GuessThrottle throttle = new GuessThrottle(0);
        int checked = 0;
        for (long t = 0; t <= 60 * SECOND; t += SECOND / 1000) { // a guess every millisecond for a minute
            if (throttle.tryAcquire(ATTACKER, t)) {
                checked++;
            }
        }
        assertEquals(GuessThrottle.BURST + 60 * GuessThrottle.PER_SECOND, checked, 1);
    }

    /** Guesses from ever new addresses: at most GLOBAL_BURST + GLOBAL_PER_SECOND * seconds are checked in all. */
    @Test
    void allAddressesTogetherHaveACeiling() {
        GuessThrottle throttle = new GuessThrottle(0);
        int checked = 0;
        int address = 0;
        for (long t = 0; t <= 60 * SECOND; t += SECOND / 1000) {
            if (throttle.tryAcquire("10.1." + (address / 256 % 256) + "." + (address++ % 256), t)) {
                checked++;
            }
        }
        assertEquals(GuessThrottle.GLOBAL_BURST + 60 * GuessThrottle.GLOBAL_PER_SECOND, checked, 1);
        assertEquals(GuessThrottle.MAX_ADDRESSES, throttle.addresses(), "the addresses kept are bounded");
    }
}
