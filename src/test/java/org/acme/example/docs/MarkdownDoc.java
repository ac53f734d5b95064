package org.acme.example.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Markdown document as GitHub renders it, read as far as the docs tests need: the rows of its tables, the anchors
 * of its headings and its links, each with its line number. Lines inside fenced code blocks are neither headings,
 * table rows nor links, and neither is anything inside a code span.
 */
public final class MarkdownDoc {

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    /** An inline link or image: [text](target) or [text](target "title"). */
    private static final Pattern INLINE_LINK = Pattern.compile(
            "!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]" // [text], which may hold [brackets]
                    + "\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)"); // (target "title")
    /** A link reference definition: [label]: target. */
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[([^\\]]+)\\]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    /** Emphasis with underscores around words: GitHub renders it, so the underscores are not part of the anchor. */
    private static final Pattern UNDERSCORE_EMPHASIS = Pattern.compile("(?<![\\p{L}\\p{N}_])_{1,2}([^_]+?)_{1,2}(?![\\p{L}\\p{N}_])");

    /** A table row whose first cell is a single name in backticks, such as {@code | `example.failure-rate` | ...}. */
    public record NamedRow(int line, String name, List<String> cells) {
    }

    /** A link as written: its line, its text and its target (path, anchor, or both). */
    public record Link(int line, String text, String target) {
    }

    private final Path path;
    private final List<String> lines;

    private MarkdownDoc(Path path, List<String> lines) {
        this.path = path;
        this.lines = lines;
    }

    public static MarkdownDoc read(Path path) {
        try {
            return new MarkdownDoc(path, Files.readAllLines(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return path;
    }

    /**
     * The table rows whose first cell starts with a backtick. A row whose first cell holds more than one name in
     * backticks, or anything besides it, is reported with a null name, so that the tests can say which row to fix.
     */
    public List<NamedRow> namedRows() {
        List<NamedRow> rows = new ArrayList<>();
        boolean[] code = codeLines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (code[i] || !line.startsWith("|")) {
                continue;
            }
            List<String> cells = cells(line);
            if (cells.isEmpty() || !cells.get(0).startsWith("`")) {
                continue;
            }
            Matcher single = Pattern.compile("`([^`]+)`").matcher(cells.get(0));
            rows.add(new NamedRow(i + 1, single.matches() ? single.group(1) : null, cells));
        }
        return rows;
    }

    /** The anchors GitHub gives the headings (with -1, -2... for repeated ones), and explicit HTML anchors. */
    public Set<String> anchors() {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean[] code = codeLines();
        for (int i = 0; i < lines.size(); i++) {
            if (code[i]) {
                continue;
            }
            Matcher html = HTML_ANCHOR.matcher(lines.get(i));
            while (html.find()) {
                anchors.add(html.group(1));
            }
            Matcher heading = HEADING.matcher(lines.get(i));
            if (heading.matches()) {
                String base = anchor(heading.group(2));
                int count = seen.merge(base, 1, Integer::sum);
                anchors.add(count == 1 ? base : base + "-" + (count - 1));
            }
        }
        return anchors;
    }

    /** Every link outside code: inline links and images, and link reference definitions. */
    public List<Link> links() {
        List<Link> links = new ArrayList<>();
        boolean[] code = codeLines();
        for (int i = 0; i < lines.size(); i++) {
            if (code[i]) {
                continue;
            }
            String original = lines.get(i);
            String line = blankCodeSpans(original);
            Matcher reference = REFERENCE.matcher(line);
            if (reference.matches()) {
                links.add(new Link(i + 1, reference.group(1), reference.group(2)));
                continue;
            }
            Matcher inline = INLINE_LINK.matcher(line);
            while (inline.find()) {
                links.add(new Link(i + 1, original.substring(inline.start(1), inline.end(1)), inline.group(2)));
            }
        }
        return links;
    }

    /**
     * GitHub's anchor for a heading: the rendered text (code spans, links and emphasis reduced to their text) in
     * lower case, without anything but letters, digits, spaces, hyphens and underscores, spaces turned into hyphens.
     */
    public static String anchor(String headingText) {
        String text = headingText.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // links and images: their text
        text = text.replaceAll("<[^>]+>", ""); // inline HTML
        StringBuilder rendered = new StringBuilder();
        Matcher span = CODE_SPAN.matcher(text);
        int last = 0;
        while (span.find()) {
            rendered.append(UNDERSCORE_EMPHASIS.matcher(text.substring(last, span.start())).replaceAll("$1"));
            rendered.append(span.group(2).strip());
            last = span.end();
        }
        rendered.append(UNDERSCORE_EMPHASIS.matcher(text.substring(last)).replaceAll("$1"));
        return rendered.toString().strip().toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
                .replace(' ', '-');
    }

    /** The cells of a table row, split at the pipes that are not escaped, as GitHub splits them. */
    static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        String inner = row.strip();
        inner = inner.substring(1, inner.endsWith("|") && !inner.endsWith("\\|") && inner.length() > 1
                ? inner.length() - 1 : inner.length());
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().strip());
        return cells;
    }

    /** Which lines (0-based) are inside a fenced code block, fences included. */
    private boolean[] codeLines() {
        boolean[] code = new boolean[lines.size()];
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher opening = FENCE.matcher(lines.get(i));
            if (fence == null) {
                if (opening.find()) {
                    fence = opening.group(1);
                    code[i] = true;
                }
            } else {
                code[i] = true;
                String trimmed = lines.get(i).strip();
                char fenceChar = fence.charAt(0);
                if (trimmed.startsWith(fence) && trimmed.chars().allMatch(c -> c == fenceChar)) {
                    fence = null;
                }
            }
        }
        return code;
    }

    private static String blankCodeSpans(String line) {
        Matcher span = CODE_SPAN.matcher(line);
        StringBuilder blanked = new StringBuilder();
        while (span.find()) {
            span.appendReplacement(blanked, " ".repeat(span.group().length()));
        }
        span.appendTail(blanked);
        return blanked.toString();
    }
}
