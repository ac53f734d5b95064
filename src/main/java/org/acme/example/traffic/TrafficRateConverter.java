package org.acme.example.traffic;

import org.eclipse.microprofile.config.spi.Converter;

/** Reads {@code example.traffic.rate}: a bad value stops start-up with a message that says what is allowed. */
public class TrafficRateConverter implements Converter<Double> {

    @Override
    public Double convert(String value) {
        return TrafficRules.parseRate("example.traffic.rate", value);
    }
}
