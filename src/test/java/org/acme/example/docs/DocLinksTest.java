package org.acme.example.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every relative link in the README and the reference documents resolves: the file or directory exists, and an
 * anchor ({@code #...}, alone or after a Markdown file) names a heading of that file by GitHub's anchor rules. Links
 * with a scheme ({@code https:}, {@code mailto:}) are not followed.
 */
class DocLinksTest {

    static final Path README = Path.of("README.md");
    static final Path REFERENCE = Path.of("src/site/markdown");

    @Test
    void everyRelativeLinkResolves() {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        int checked = 0;
        for (Path file : documents()) {
            MarkdownDoc doc = MarkdownDoc.read(file);
            for (MarkdownDoc.Link link : doc.links()) {
                String target = link.target();
                if (target.isEmpty() || target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // external (https:, mailto:) or empty
                }
                checked++;
                String where = file + ":" + link.line() + ": [" + link.text() + "](" + target + ")";
                int hash = target.indexOf('#');
                String pathPart = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = pathPart.isEmpty() ? file : file.toAbsolutePath().getParent()
                        .resolve(URLDecoder.decode(pathPart, StandardCharsets.UTF_8)).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(where + ": no file " + Path.of("").toAbsolutePath().relativize(resolved.toAbsolutePath()));
                    continue;
                }
                if (anchor == null || !resolved.toString().endsWith(".md")) {
                    continue;
                }
                Set<String> known = anchors.computeIfAbsent(resolved.toAbsolutePath().normalize(),
                        path -> MarkdownDoc.read(path).anchors());
                if (!known.contains(anchor)) {
                    broken.add(where + ": no heading with the anchor #" + anchor + " in "
                            + Path.of("").toAbsolutePath().relativize(resolved.toAbsolutePath()) + similar(anchor, known));
                }
            }
        }
        assertTrue(checked > 0, "no relative link found in " + documents());
        assertEquals("", String.join("\n", broken), broken.size() + " broken links (file:line: link: why)");
    }

    /** GitHub's anchors, as the test computes them, for headings the documents use. */
    @Test
    void anchorsFollowGitHubsRules() {
        assertEquals("the-fault-file-one-setting-for-the-whole-fleet",
                MarkdownDoc.anchor("The fault file: one setting for the whole fleet"));
        assertEquals("baseline-overrides-and-get-fault", MarkdownDoc.anchor("Baseline, overrides and `GET /fault`"));
        assertEquals("tracing-exemplars-and-trace-ids-in-the-log",
                MarkdownDoc.anchor("Tracing: exemplars and trace ids in the log"));
        assertEquals("the-service-example-and-its-faults", MarkdownDoc.anchor("The service: `/example` and its faults"));
        assertEquals("example_requests_total", MarkdownDoc.anchor("`example_requests_total`"));
        assertEquals("jdk-25-aot-cache-faster-start-up", MarkdownDoc.anchor("JDK 25 AOT cache (faster start-up)"));
        assertEquals("kubernetes--helm", MarkdownDoc.anchor("Kubernetes & Helm"));
        assertEquals("see-the-docs", MarkdownDoc.anchor("See [the docs](x.md)"));
    }

    /** The README and every Markdown file under src/site/markdown. */
    static List<Path> documents() {
        try (Stream<Path> files = Files.walk(REFERENCE)) {
            List<Path> documents = new ArrayList<>();
            documents.add(README);
            documents.addAll(files.filter(file -> file.toString().endsWith(".md")).sorted().toList());
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String similar(String anchor, Set<String> known) {
        String first = anchor.split("-")[0];
        List<String> near = known.stream().filter(a -> a.startsWith(first) || a.contains(anchor) || anchor.contains(a))
                .limit(5).collect(Collectors.toList());
        return near.isEmpty() ? " (it has " + known.size() + " anchors)" : " (similar: #" + String.join(", #", near) + ")";
    }
}
