package org.acme.example.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The time-compressed copies AlertmanagerEndToEndIT runs on divide every duration, and only durations. */
class CompressedTimeTest {

    private final CompressedTime time = new CompressedTime(60);

    @Test
    void rangeSelectorsAndForAreDivided(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("in").resolve("a.rules.yml");
        Files.createDirectories(rules.getParent());
        Files.writeString(rules, """
                groups:
                  - name: g
                    rules:
                      - alert: A
                        expr: rate(x[5m]) / rate(y[1h30m]) > 14.4 and sum_over_time(z[30d]) > 0
                        for: 2m
                        annotations:
                          summary: "over 1h [not a selector in a template]"
                """);
        Path copy = time.rules(List.of(rules), dir.resolve("out")).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> rule = ((List<Map<String, Object>>) ((List<Map<String, Object>>) ((Map<String, Object>) new Yaml()
                .load(Files.readString(copy))).get("groups")).get(0).get("rules")).get(0);
        assertEquals("rate(x[5s]) / rate(y[90s]) > 14.4 and sum_over_time(z[43200s]) > 0", rule.get("expr"));
        assertEquals("2s", rule.get("for"));
        assertEquals(Map.of("summary", "over 1h [not a selector in a template]"), rule.get("annotations"));
    }

    @Test
    void aSubqueryIsRefusedRatherThanHalfCompressed() {
        assertThrows(IllegalArgumentException.class, () -> time.ranges("max_over_time(x[1h:5m])"));
    }

    @Test
    void durationsBelowASecondAreWrittenInMilliseconds() {
        assertEquals("500ms", CompressedTime.format(CompressedTime.parse("30s").dividedBy(60)));
        assertEquals(Duration.ofMinutes(90), CompressedTime.parse("1h30m"));
    }
}
