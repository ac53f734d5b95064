package org.acme.example.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    @Test
    void negativeZeroBecomesZero() {
        assertEquals(0x0L, Double.doubleToRawLongBits(FaultRules.parseFailureRate("rate", "-0.0")));
        assertEquals(0x0L, Double.doubleToRawLongBits(FaultRules.parseStatusMix("mix", "500=1,503=-0").weights().get(503)));
    }

    @ParameterizedTest
    @CsvSource({ "0ms, 0", "50ms, 50", "1s, 1000", "PT0.25S, 250", "1m, 60000" })
    void latenciesAreDurationsWithAUnit(String text, long ms) {
        assertEquals(ms, FaultRules.parseLatencyMs("latency", text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "200", "0", "1.5" })
    void aBareNumberIsRejectedSayingAUnitIsNeeded(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultRules.parseLatencyMs("example.latency.max", text));
        assertEquals("example.latency.max must be a duration of 0 to 60s in whole milliseconds, such as 50ms, got '" + text
                + "': a unit is required, e.g. '" + text + "ms' or '" + text + "s'", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({ "1ms, PT0.001S", "30s, PT30S", "24h, PT24H" })
    void faultDurationsFromAMillisecondToADay(String text, Duration expected) {
        assertEquals(expected, FaultRules.parseFaultDuration("for", text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0s", "0ms", "24h1ms", "2d", "-1s" })
    void longerOrShorterFaultDurationsAreRejected(String text) {
        String value = text.equals("24h1ms") ? "PT24H0.001S" : text;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultRules.parseFaultDuration("for", value));
        assertEquals("for must be a duration of 1 ms to 24 h, such as 30s or 5m, got '" + value + "'", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "500=1", "503=3,500=1", " 429 = 1 , 599=0.5 ", "500=0,503=1" })
    void statusMixesAreAccepted(String text) {
        FaultRules.parseStatusMix("mix", text);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "500", "404=1", "200=1", "600=1", "500=0", "500=-1", "500=x", "500=1,500=1",
            "500=1;503=1", "5000=1", "500=NaN", "500=Infinity", "500=1e308,503=1e308" })
    void otherStatusMixesAreRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultRules.parseStatusMix("example.failure-statuses", text));
        assertEquals("example.failure-statuses must be " + FaultRules.STATUS_MIX_RANGE + ", got '" + text + "'",
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({ "0s, PT0S", "3s, PT3S", "10m, PT10M" })
    void startUpDelaysUpToTenMinutes(String text, Duration expected) {
        assertEquals(expected, FaultRules.parseStartupDelay("delay", text));
    }
}
