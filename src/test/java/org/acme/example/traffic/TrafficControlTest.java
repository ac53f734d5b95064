package org.acme.example.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one rule for the rate, applied to the bodies of {@code PUT /traffic} and to the configured value. */
class TrafficControlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"rate\": 20}     | 20",
            "{\"rate\": 0}      | 0",
            "{\"rate\": 0.5}    | 0.5",
            "{\"rate\": 1000}   | 1000" })
    void aRateInRangeIsAccepted(String body, double rate) {
        assertEquals(rate, TrafficControl.rate(body));
    }

    /** Logged as "0.0", not "-0.0". */
    @Test
    void negativeZeroIsZero() {
        assertEquals("0.0", String.valueOf(TrafficControl.rate("{\"rate\": -0.0}")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"rate\": 1000.5}           | rate must be a number of requests per second in [0, 1000], got '1000.5'",
            "{\"rate\": -1}               | rate must be a number of requests per second in [0, 1000], got '-1.0'",
            "{\"rate\": \"20\"}           | rate must be a number of requests per second in [0, 1000], got '\"20\"'",
            "{\"rate\": null}             | rate must be a number of requests per second in [0, 1000], got 'null'",
            "{\"rate\": 1e309}            | rate must be a number of requests per second in [0, 1000], got 'Infinity'",
            "{}                           | the field rate is missing",
            "{\"rate\": 5, \"burst\": 2}  | unknown field 'burst'",
            "[20]                         | the body must be a JSON object",
            "20                           | the body must be a JSON object",
            "not json                     | the body must be a JSON object" })
    void anInvalidBodyIsRejectedNamingTheFieldAndTheRule(String body, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrafficControl.rate(body));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1001  | example.traffic.rate must be a number of requests per second in [0, 1000], got '1001'",
            "-0.1  | example.traffic.rate must be a number of requests per second in [0, 1000], got '-0.1'",
            "NaN   | example.traffic.rate must be a number of requests per second in [0, 1000], got 'NaN'",
            "fast  | example.traffic.rate must be a number of requests per second in [0, 1000], got 'fast'" })
    void theConfiguredRateFollowsTheSameRule(String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrafficRateConverter().convert(value));
        assertEquals(message, e.getMessage());
    }
}
