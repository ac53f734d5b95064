package org.acme.example.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestHeadTimeoutConverterTest {

    private final RequestHeadTimeoutConverter converter = new RequestHeadTimeoutConverter();

    @Test
    void aDurationWithAUnitWithinTheRange() {
        assertEquals(Duration.ofSeconds(10), converter.convert("10s"));
        assertEquals(Duration.ofMillis(100), converter.convert(" 100ms "));
        assertEquals(Duration.ofMinutes(1), converter.convert("1m"));
    }

    /** As for every duration of the service: Quarkus would read a bare 10 as 10 s, where 10 ms may have been meant. */
    @ParameterizedTest
    @ValueSource(strings = { "10", "0.5" })
    void aBareNumberIsRefusedSayingThatAUnitIsRequired(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> converter.convert(value));
        assertEquals("example.http.request-head-timeout must be a duration from 100ms to 60s (such as 10s), got '" + value
                + "': a unit is required, e.g. '" + value + "ms' or '" + value + "s'", e.getMessage());
    }
}
