package org.acme.example.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenMetricsScrapeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // What Prometheus 2.x sends.
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1 | true",
            "application/openmetrics-text; version=1.0.0; charset=utf-8 | true",
            "text/plain;q=0.9, application/openmetrics-text                | true",
            "text/plain; version=0.0.4                                     | false",
            "text/plain, application/openmetrics-text                      | false",
            "application/openmetrics-text;q=0.5, text/plain                | false",
            "application/openmetrics-text;q=0                              | false",
            "*/*                                                           | false",
            "application/openmetrics-text;q=bad, text/plain;q=0.1          | false" })
    void openMetricsOnlyWhenItIsTheClientsFirstChoice(String accept, boolean openMetrics) {
        assertEquals(openMetrics, OpenMetricsScrape.prefersOpenMetrics(accept.strip()));
    }

    @Test
    void exemplarsStayOnBucketsAndCountersOnly() {
        String scrape = """
                # TYPE http_server_requests_seconds histogram
                http_server_requests_seconds_bucket{uri="/example",le="0.005"} 2.0 # {span_id="a",trace_id="b"} 0.003 1795619677.142
                http_server_requests_seconds_count{uri="/example"} 15.0 # {span_id="c",trace_id="d"} 1.0 1795619928.473
                http_server_requests_seconds_sum{uri="/example"} 0.1
                # TYPE example_requests counter
                example_requests_total{outcome="error"} 15.0 # {span_id="e",trace_id="f"} 1.0 1795619925.674
                # EOF
                """;
        assertEquals("""
                # TYPE http_server_requests_seconds histogram
                http_server_requests_seconds_bucket{uri="/example",le="0.005"} 2.0 # {span_id="a",trace_id="b"} 0.003 1795619677.142
                http_server_requests_seconds_count{uri="/example"} 15.0
                http_server_requests_seconds_sum{uri="/example"} 0.1
                # TYPE example_requests counter
                example_requests_total{outcome="error"} 15.0 # {span_id="e",trace_id="f"} 1.0 1795619925.674
                # EOF
                """, OpenMetricsScrape.withAllowedExemplars(scrape));
    }
}
