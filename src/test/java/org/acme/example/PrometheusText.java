package org.acme.example;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads sample values out of a scrape in the Prometheus text format, the way a person would read them.
 */
final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * @param scrape the body of {@code /metrics}
     * @param series a metric name with its labels as they appear, e.g. {@code example_requests_total{outcome="error"}}
     * @return the sample's value
     * @throws AssertionError if the series is not in the scrape
     */
    static double value(String scrape, String series) {
        String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        String labels = series.contains("{") ? series.substring(series.indexOf('{') + 1, series.lastIndexOf('}')) : "";
        // Classic text ends label sets with ",}", OpenMetrics with "}": accept both.
        Pattern line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{(.*?),?\\})? (\\S+)");
        Matcher m = line.matcher(scrape);
        while (m.find()) {
            String found = m.group(2) == null ? "" : m.group(2);
            if (sameLabels(found, labels)) {
                return Double.parseDouble(m.group(3));
            }
        }
        throw new AssertionError("no series " + series + " in the scrape");
    }

    private static boolean sameLabels(String found, String wanted) {
        return java.util.Set.of(found.split(",")).equals(java.util.Set.of(wanted.split(",")));
    }
}
