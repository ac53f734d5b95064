package org.acme.example.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code example.fault.file-read-timeout}, as its converter reads it at start-up. */
class FaultFileReadTimeoutTest {

    private final FaultConverters.FileReadTimeout converter = new FaultConverters.FileReadTimeout();

    @ParameterizedTest
    @CsvSource({ "3s, 3000", "100ms, 100", "1m, 60000", "PT10S, 10000" })
    void aDurationWithAUnitWithinTheRange(String value, long millis) {
        assertEquals(Duration.ofMillis(millis), converter.convert(value));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0s", "99ms", "61s", "soon", "-1s" })
    void outsideTheRangeIsRefusedNamingPropertyValueAndRange(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> converter.convert(value));
        assertEquals("example.fault.file-read-timeout must be a duration from 100ms to 60s (such as 3s), got '" + value
                + "'", e.getMessage());
    }

    @Test
    void aBareNumberIsRefusedSayingThatAUnitIsRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> converter.convert("3"));
        assertEquals("example.fault.file-read-timeout must be a duration from 100ms to 60s (such as 3s), got '3'"
                + ": a unit is required, e.g. '3ms' or '3s'", e.getMessage());
    }
}
