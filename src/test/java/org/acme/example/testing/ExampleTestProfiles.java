package org.acme.example.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Test profiles that start the service with a given failure rate. */
public final class ExampleTestProfiles {

    /** The rate tests run with when no profile overrides it: the shipped default. */
    public static final double DEFAULT_TEST_RATE = 0.1;

    private ExampleTestProfiles() {
    }

    public static class NeverFail implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("example.failure-rate", "0");
        }
    }

    public static class AlwaysFail implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("example.failure-rate", "1");
        }
    }

    public static class QuarterFail implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("example.failure-rate", "0.25");
        }
    }
}
