package org.acme.example;

import org.acme.example.testing.ExampleTestProfiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(ExampleTestProfiles.AlwaysFail.class)
class FailureRateOneTest extends FailureRateTestBase {

    @Test
    void aRateOfOneAlwaysFails() {
        Outcomes outcomes = requestExample(500);
        assertEquals(0, outcomes.ok());
        assertEquals(1.0, failureRateGauge());
    }
}
