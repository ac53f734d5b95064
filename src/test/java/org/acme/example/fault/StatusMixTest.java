package org.acme.example.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatusMixTest {

    private final StatusMix mix = FaultRules.parseStatusMix("mix", "503=1, 500=2, 429=1");

    /** Statuses in ascending order, each taking its share of [0, 1). */
    @Test
    void drawsEachStatusForItsShareOfTheUnitInterval() {
        assertEquals(429, mix.draw(0.0));
        assertEquals(429, mix.draw(0.2499));
        assertEquals(500, mix.draw(0.25));
        assertEquals(500, mix.draw(0.7499));
        assertEquals(503, mix.draw(0.75));
        assertEquals(503, mix.draw(0.99999));
    }

    @Test
    void sharesAndTheConfigurationForm() {
        assertEquals(0.5, mix.share(500));
        assertEquals(0.25, mix.share(503));
        assertEquals(0.0, mix.share(502));
        assertEquals("429=1,500=2,503=1", mix.toString());
        assertEquals(mix, FaultRules.parseStatusMix("other", mix.toString()));
    }

    /** A weight of 0 keeps the status in the mix (as given) but never draws it. */
    @Test
    void aZeroWeightIsNeverDrawn() {
        StatusMix withZero = FaultRules.parseStatusMix("mix", "500=0,503=1");
        assertEquals(503, withZero.draw(0.0));
        assertEquals(0.0, withZero.share(500));
    }
}
