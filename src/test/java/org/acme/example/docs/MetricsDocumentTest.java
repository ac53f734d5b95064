package org.acme.example.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * How the metrics document is compared with a scrape, and that its rows have the shape the comparison reads. The
 * comparison with the real {@code /metrics} runs in {@code DashboardEndToEndIT}, after its demo run.
 */
class MetricsDocumentTest {

    private static final String SCRAPE = """
            # HELP example_requests_total Requests
            # TYPE example_requests_total counter
            example_requests_total{outcome="error",} 3.0
            example_requests_total{outcome="success",} 7.0
            # HELP http_server_requests_seconds Time
            # TYPE http_server_requests_seconds histogram
            http_server_requests_seconds_bucket{method="GET",uri="/example",le="0.001",} 1.0
            http_server_requests_seconds_count{method="GET",uri="/example",} 1.0
            http_server_requests_seconds_sum{method="GET",uri="/example",} 0.0005
            # HELP http_server_requests_seconds_max Time
            # TYPE http_server_requests_seconds_max gauge
            http_server_requests_seconds_max{method="GET",uri="/example",} 0.0005
            # HELP jvm_memory_used_bytes Used
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="nonheap",id="CodeHeap 'non-nmethods'",} 1.0
            # HELP example_fault_live Live
            # TYPE example_fault_live gauge
            example_fault_live 1.0
            """;

    @Test
    void familiesAreNamedAsPrometheusStoresThemWithTheirLabelNames() {
        Map<String, MetricsDocument.Family> families = MetricsDocument.exposed(SCRAPE);
        assertEquals(Set.of("example_requests_total", "http_server_requests_seconds", "jvm_memory_used_bytes",
                "example_fault_live"), families.keySet(), "the _max gauge belongs to its histogram");
        assertEquals(new MetricsDocument.Family("http_server_requests_seconds", "histogram", Set.of("method", "uri")),
                families.get("http_server_requests_seconds"));
        assertEquals(Set.of("area", "id"), families.get("jvm_memory_used_bytes").labels());
        assertEquals(Set.of(), families.get("example_fault_live").labels());
    }

    @Test
    void aDifferenceNamesTheFamilyAndTheLine() {
        String renamed = SCRAPE.replace("example_fault_live", "example_fault_alive");
        List<String> differences = MetricsDocument.differences(renamed, false);
        assertTrue(differences.contains(MetricsDocument.DOC + ": no row for `example_fault_alive` (gauge, labels none)"),
                differences.toString());
        assertTrue(differences.stream().anyMatch(d -> d.matches(".*metrics.md:\\d+: `example_fault_live` is not exposed")),
                differences.toString());
        String relabelled = SCRAPE.replace("outcome=", "result=").replace("# TYPE example_requests_total counter",
                "# TYPE example_requests_total gauge");
        List<String> wrong = MetricsDocument.differences(relabelled, false);
        assertTrue(wrong.stream().anyMatch(d -> d.endsWith("`example_requests_total`: type 'counter', exposed as gauge")),
                wrong.toString());
        assertTrue(wrong.stream().anyMatch(d -> d.endsWith("`example_requests_total`: labels [outcome], exposed with [result]")),
                wrong.toString());
    }

    @Test
    void everyRowHasANameATypeAndLabels() {
        List<String> problems = new ArrayList<>();
        Map<String, MarkdownDoc.NamedRow> rows = MetricsDocument.documented(problems);
        for (MarkdownDoc.NamedRow row : rows.values()) {
            String where = MetricsDocument.DOC + ":" + row.line() + ": `" + row.name() + "`: ";
            if (!Set.of("counter", "gauge", "histogram", "summary").contains(row.cells().get(1))) {
                problems.add(where + "type '" + row.cells().get(1) + "': counter, gauge, histogram or summary");
            }
            String labels = row.cells().get(2);
            if (!labels.equals("none") && !labels.matches("`[a-z_]+`(, `[a-z_]+`)*")) {
                problems.add(where + "labels '" + labels + "': none, or names in backticks separated by commas");
            }
            if (row.cells().get(1).equals("counter") && !row.name().endsWith("_total")) {
                problems.add(where + "a counter is stored with _total");
            }
        }
        assertEquals("", String.join("\n", problems));
        assertTrue(rows.keySet().stream().anyMatch(name -> name.startsWith("example_")), "no example_* row");
    }
}
