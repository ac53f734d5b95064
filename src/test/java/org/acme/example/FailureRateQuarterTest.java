package org.acme.example;

import org.acme.example.testing.ExampleTestProfiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(ExampleTestProfiles.QuarterFail.class)
class FailureRateQuarterTest extends FailureRateTestBase {

    private static final double RATE = 0.25;
    private static final int REQUESTS = 4000;

    /**
     * The failed share of n independent draws has standard deviation sqrt(p(1-p)/n), about 0.0068 here.
     * Accepting |z| <= 4 (0.25 ± 0.027) makes a false alarm a 1-in-15000 event, while a wrong rate such as
     * the default 0.1 or an inverted 0.75 lies more than 20 standard deviations away.
     */
    @Test
    void theObservedFailureShareMatchesTheConfiguredRate() {
        Outcomes outcomes = requestExample(REQUESTS);
        double sigma = Math.sqrt(RATE * (1 - RATE) / REQUESTS);
        double z = (outcomes.failedShare() - RATE) / sigma;
        assertTrue(Math.abs(z) <= 4, () -> "failed " + outcomes.failed() + " of " + outcomes.total() + ", z = " + z);
        assertEquals(RATE, failureRateGauge());
    }
}
