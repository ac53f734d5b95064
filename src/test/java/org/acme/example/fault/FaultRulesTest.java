package org.acme.example.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultRulesTest {

    @ParameterizedTest
    @ValueSource(strings = { "0", "0.0", "0.5", "1", "1.0", " 0.25 " })
    void probabilitiesAreAccepted(String text) {
        assertEquals(Double.parseDouble(text.trim()), FaultRules.parseFailureRate("rate", text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "-0.1", "1.5", "NaN", "Infinity", "-Infinity", "abc", "", "0,5" })
    void anythingElseIsRejectedWithNameValueAndRange(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultRules.parseFailureRate("example.failure-rate", text));
        assertEquals("example.failure-rate must be a number in [0, 1], got '" + text + "'", e.getMessage());
    }
}
