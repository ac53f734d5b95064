package org.acme.example.fault;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads {@code example.failure-rate}, rejecting anything that is not a probability, so that a bad value
 * stops start-up with a message that says what is allowed.
 */
public class FailureRateConverter implements Converter<Double> {

    @Override
    public Double convert(String value) {
        return FaultRules.parseFailureRate("example.failure-rate", value);
    }
}
