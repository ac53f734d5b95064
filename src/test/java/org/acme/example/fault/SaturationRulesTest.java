package org.acme.example.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class SaturationRulesTest {

    private static final FaultSettings CALM = new FaultSettings(0, StatusMix.ONLY_500, 0, 0, true, true, false, 0, 0,
            SaturationRules.DEFAULT_RATE, false, 0, 0, null, 1);

    @Test
    void sizesAndRatesHaveAUnit() {
        assertEquals(256 * SaturationRules.MIB, SaturationRules.parseSize("memoryTarget", "256MiB", "r"));
        assertEquals(16 * SaturationRules.MIB, SaturationRules.parseRate("memoryRate", "16MiB/s"));
        assertEquals("256MiB", SaturationRules.formatSize(256 * SaturationRules.MIB));
        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class,
                () -> SaturationRules.parseSize("memoryTarget", "256", SaturationRules.SIZE_RANGE));
        assertEquals("memoryTarget must be " + SaturationRules.SIZE_RANGE + ", got '256'", bare.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SaturationRules.parseRate("memoryRate", "2GiB/s"));
        assertThrows(IllegalArgumentException.class, () -> SaturationRules.parseRate("memoryRate", "512KiB/s"));
    }

    @Test
    void theJsonFormReadsAndWritesBack() {
        FaultJson.Timed timed = FaultJson.read(new JsonObject("{\"cpuBurnCores\": 0.5, \"memoryTarget\": \"64MiB\","
                + " \"memoryRate\": \"8MiB/s\", \"hangRate\": 0.1, \"resetRate\": 0.2, \"crashExitCode\": 3}"), "",
                FaultJson.For.OPTIONAL);
        FaultSettings settings = timed.change().applyTo(CALM, "");
        assertEquals(0.5, settings.cpuBurnCores());
        assertEquals(64 * SaturationRules.MIB, settings.memoryTargetBytes());
        assertEquals("8MiB/s", FaultJson.write(settings).getString("memoryRate"));
        assertEquals(3, settings.crashExitCode());
        assertEquals(6, timed.change().byField().size(), "each one expires on its own");
        assertThrows(IllegalArgumentException.class, () -> FaultJson.read(new JsonObject("{\"crashExitCode\": 0}"), "",
                FaultJson.For.OPTIONAL));
        assertThrows(IllegalArgumentException.class, () -> FaultJson.read(
                new JsonObject("{\"cpuBurnCores\": " + (SaturationRules.availableCores() + 0.5) + "}"), "",
                FaultJson.For.OPTIONAL));
    }

    @Test
    void whatEndsOrStarvesTheProcessNeedsThePassword() {
        FaultSettings crash = FaultChange.of(new FaultChange.Saturation(null, null, null, null, null, null,
                Duration.ofSeconds(1), null)).overlay(CALM);
        FaultSettings everyCore = FaultChange.of(new FaultChange.Saturation((double) SaturationRules.availableCores(),
                null, null, null, null, null, null, null)).overlay(CALM);
        FaultSettings oomKill = FaultChange.of(new FaultChange.Saturation(null, SaturationRules.MIB, null, true, null,
                null, null, null)).overlay(CALM);
        for (FaultSettings dangerous : new FaultSettings[] { crash, everyCore, oomKill }) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> SaturationRules.authorize(dangerous, false, "PUT /fault"));
            assertTrue(refused.getMessage().startsWith("PUT /fault refused: "), refused.getMessage());
            SaturationRules.authorize(dangerous, true, "PUT /fault");
        }
        SaturationRules.authorize(CALM, false, "PUT /fault");
    }
}
