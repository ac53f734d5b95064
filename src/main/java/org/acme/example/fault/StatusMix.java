package org.acme.example.fault;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The status codes a simulated failure is answered with, and their weights: {@code 500=3,503=1} answers three
 * failures in four with 500 and one with 503. Immutable; only {@link FaultRules} makes one from outside input.
 */
public final class StatusMix {

    public static final StatusMix ONLY_500 = only(500);

    private final SortedMap<Integer, Double> weights;
    private final double total;
    private final int[] statuses;
    /** cumulative[i] = share of the statuses up to and including statuses[i]; the last one is 1. */
    private final double[] cumulative;

    StatusMix(SortedMap<Integer, Double> weights) {
        this.weights = Collections.unmodifiableSortedMap(new TreeMap<>(weights));
        this.total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        this.statuses = new int[weights.size()];
        this.cumulative = new double[weights.size()];
        double sum = 0;
        int i = 0;
        for (Map.Entry<Integer, Double> entry : weights.entrySet()) {
            sum += entry.getValue();
            statuses[i] = entry.getKey();
            cumulative[i] = sum / total;
            i++;
        }
    }

    /** Every failure answered with this status, which must be a failure status. */
    public static StatusMix only(int status) {
        return new StatusMix(new TreeMap<>(Map.of(status, 1.0)));
    }

    /** The status for a uniform random number in [0, 1). */
    public int draw(double uniform) {
        for (int i = 0; i < statuses.length - 1; i++) {
            if (uniform < cumulative[i]) {
                return statuses[i];
            }
        }
        return statuses[statuses.length - 1];
    }

    /** Share (0..1) of the failures answered with this status. */
    public double share(int status) {
        Double weight = weights.get(status);
        return weight == null ? 0 : weight / total;
    }

    /** Status code to weight, as given (weights of 0 included), by status code. */
    public SortedMap<Integer, Double> weights() {
        return weights;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StatusMix mix && mix.weights.equals(weights);
    }

    @Override
    public int hashCode() {
        return weights.hashCode();
    }

    /** The configuration's form, e.g. {@code 500=3,503=1}. */
    @Override
    public String toString() {
        return weights.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + number(entry.getValue()))
                .collect(Collectors.joining(","));
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
    }
}
