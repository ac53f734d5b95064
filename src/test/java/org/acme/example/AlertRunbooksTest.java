package org.acme.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every shipped alert tells the person it reaches what happened and where to read what to do: a summary, a
 * description, and a runbook_url whose anchor is a section of src/site/markdown/alerts.md. The URL's base is written
 * once, in the recording rules; promtool's cases (src/test/prometheus/example-alerts.test.yml) check the rendered URL.
 */
class AlertRunbooksTest {

    static final Path RUNBOOKS = Path.of("src", "site", "markdown", "alerts.md");
    static final String BASE_URL_SERIES = ":example_runbook_base_url:info";
    private static final Pattern RUNBOOK_URL = Pattern.compile(
            Pattern.quote("{{ with query \"" + BASE_URL_SERIES + "\" }}{{ . | first | label \"url\" }}{{ end }}#") + "([a-z0-9-]+)");
    private static final Pattern BASE_URL = Pattern.compile("label_replace\\(vector\\(1\\), \"url\", \"([^\"]+)\", \"\", \"\"\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE);

    @Test
    void everyAlertHasASummaryADescriptionAndARunbookSection() throws IOException {
        List<String> anchors = anchors(Files.readString(RUNBOOKS));
        List<Map<String, Object>> alerts = alertingRules();
        assertEquals(8, alerts.size(), "shipped alerts");
        for (Map<String, Object> alert : alerts) {
            String name = (String) alert.get("alert");
            Map<String, String> annotations = annotations(alert);
            assertFalse(annotations.getOrDefault("summary", "").isBlank(), name + ": summary");
            assertFalse(annotations.getOrDefault("description", "").isBlank(), name + ": description");
            Matcher url = RUNBOOK_URL.matcher(annotations.getOrDefault("runbook_url", ""));
            assertTrue(url.matches(), name + ": runbook_url is the base URL of " + BASE_URL_SERIES + ", '#' and an anchor: "
                    + annotations.get("runbook_url"));
            assertEquals(anchor(name), url.group(1), name + ": the anchor of the section named after the alert");
            assertTrue(anchors.contains(url.group(1)), name + ": no section #" + url.group(1) + " in " + RUNBOOKS + ": " + anchors);
        }
    }

    /** The default base is the runbooks' path in the repository, so that a checkout or repository browser opens it. */
    @Test
    void theBaseUrlIsWrittenOnceAndDefaultsToTheRunbooksPath() throws IOException {
        String recording = Files.readString(PromtoolTest.SHIPPED.resolve("example-recording.rules.yml"));
        Matcher base = BASE_URL.matcher(recording);
        assertTrue(base.find(), "the url label of " + BASE_URL_SERIES);
        assertEquals(RUNBOOKS.toString(), base.group(1));
        assertTrue(Files.isRegularFile(Path.of(base.group(1))), base.group(1));
        assertFalse(base.find(), "one base URL");
    }

    @Test
    void anchorsAreTheHeadingsAsMarkdownRenderersMakeThem() {
        assertEquals(List.of("alerts-and-runbooks", "exampleerrorbudgetfastburn", "where-the-links-point"),
                anchors("# Alerts and runbooks\n## ExampleErrorBudgetFastBurn\ntext\n## Where the links point?\n"));
    }

    /** GitHub's (and most renderers') heading ids: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String heading) {
        return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    static List<String> anchors(String markdown) {
        List<String> anchors = new ArrayList<>();
        Matcher heading = HEADING.matcher(markdown);
        while (heading.find()) {
            anchors.add(anchor(heading.group(1)));
        }
        return anchors;
    }

    /** The alerts of every shipped rule file (the SLO and target alerts, the saturation alerts). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alertingRules() throws IOException {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Path rules : PromtoolTest.ruleFiles()) {
            Map<String, Object> file = new Yaml().load(Files.readString(rules));
            for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    if (rule.containsKey("alert")) {
                        alerts.add(rule);
                    }
                }
            }
        }
        return alerts;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> annotations(Map<String, Object> alert) {
        return (Map<String, String>) alert.getOrDefault("annotations", Map.of());
    }
}
