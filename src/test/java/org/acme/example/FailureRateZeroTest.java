package org.acme.example;

import org.acme.example.testing.ExampleTestProfiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(ExampleTestProfiles.NeverFail.class)
class FailureRateZeroTest extends FailureRateTestBase {

    @Test
    void aRateOfZeroNeverFails() {
        Outcomes outcomes = requestExample(500);
        assertEquals(0, outcomes.failed());
        assertEquals(0.0, failureRateGauge());
    }
}
