package org.acme.example.fault;

import java.time.Duration;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Read the {@code example.*} fault properties with the rules of {@link FaultRules}, so that a bad value stops
 * start-up with a message that names the property and says what is allowed. (A converter does not learn which
 * property it reads; SmallRye Config names it in front of the message.)
 */
public final class FaultConverters {

    private FaultConverters() {
    }

    public static class FailureRate implements Converter<Double> {
        @Override
        public Double convert(String value) {
            return FaultRules.parseFailureRate("example.failure-rate", value);
        }
    }

    public static class FailureStatuses implements Converter<StatusMix> {
        @Override
        public StatusMix convert(String value) {
            return FaultRules.parseStatusMix("example.failure-statuses", value);
        }
    }

    /** {@code example.latency.min} and {@code example.latency.max}: durations such as {@code 50ms} or {@code 1s}. */
    public static class Latency implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            return Duration.ofMillis(FaultRules.parseLatencyMs("example.latency", value));
        }
    }

    /**
     * {@code true} or {@code false}, nothing else: MicroProfile Config reads any other word as false, so that a typo
     * such as {@code ture} would silently turn a feature off.
     */
    public static class Flag implements Converter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return FaultRules.parseFlag("example.request-faults.enabled", value);
        }
    }

    public static class StartupDelay implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            return FaultRules.parseStartupDelay("example.startup-delay", value);
        }
    }

    public static class FileReadTimeout implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            return FaultFile.parseReadTimeout(value);
        }
    }

    public static class CrashAfter implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            return SaturationRules.crashAfter("example.crash.after",
                    org.acme.example.Durations.parse("example.crash.after", value, SaturationRules.CRASH_AFTER_RANGE));
        }
    }
}
