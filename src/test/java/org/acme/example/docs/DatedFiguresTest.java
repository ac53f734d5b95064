package org.acme.example.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Measured figures live in one document, the performance page, each with its date: a date anywhere else in the docs
 * is a figure that will go stale where nobody looks for it.
 */
class DatedFiguresTest {

    private static final Path PERFORMANCE = DocLinksTest.REFERENCE.resolve("performance.md");
    private static final Pattern DATE = Pattern.compile("\\b20\\d\\d-[01]\\d-[0-3]\\d\\b");

    @Test
    void onlyThePerformancePageHasDates() throws IOException {
        List<String> dated = new ArrayList<>();
        for (Path document : DocLinksTest.documents()) {
            if (document.equals(PERFORMANCE)) {
                continue;
            }
            List<String> lines = lines(document);
            for (int i = 0; i < lines.size(); i++) {
                if (DATE.matcher(lines.get(i)).find()) {
                    dated.add(document + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertEquals("", String.join("\n", dated), "dated figures outside " + PERFORMANCE + " (file:line: text)");
    }

    @Test
    void thePerformancePageDatesItsFigures() {
        assertTrue(DATE.matcher(String.join("\n", lines(PERFORMANCE))).find(), PERFORMANCE + " has no date");
    }

    private static List<String> lines(Path document) {
        try {
            return Files.readAllLines(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
