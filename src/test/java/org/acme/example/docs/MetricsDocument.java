package org.acme.example.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics document against a scrape of {@code /metrics}: every family exposed has a row and every row a family,
 * with the same type and label names. Families are named as the text format 0.0.4 names them in its TYPE lines,
 * which is what Prometheus stores (counters with {@code _total}); the {@code _max} gauge Micrometer adds to a timer or
 * distribution summary belongs to its histogram or summary. The document's tables have one family per row: its name
 * in backticks in the first column, then its type, then its label names in backticks separated by commas (or "none").
 */
public final class MetricsDocument {

    public static final Path DOC = Path.of("src/site/markdown/metrics.md");
    /**
     * Families that a demo run may not expose yet, although the service does in time: Micrometer registers a GC
     * pause timer at the first collection of each kind, which a short run with a large enough heap may not reach.
     */
    static final Set<String> MAY_BE_ABSENT = Set.of("jvm_gc_pause_seconds");
    /**
     * In a native executable the JVM, process and Netty meters differ (no GC meters at all, for one) and could not be
     * checked on the machines these tests were written on (no GraalVM): there, only the service's own families and the
     * HTTP server's must all be exposed; every family exposed must still be documented.
     */
    static final Pattern CHECKED_IN_NATIVE = Pattern.compile("(example|http_server)_.*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+\\S+.*");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    /** Labels of the format itself rather than of the family. */
    private static final Set<String> FORMAT_LABELS = Set.of("le", "quantile");

    /** One family: its type and the names of its labels. */
    public record Family(String name, String type, Set<String> labels) {
    }

    private MetricsDocument() {
    }

    /** The families of a scrape in the text format 0.0.4, by name. */
    public static Map<String, Family> exposed(String exposition) {
        Map<String, Family> families = new TreeMap<>();
        Family current = null;
        for (String line : exposition.split("\n")) {
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                current = new Family(type.group(1), type.group(2), new TreeSet<>());
                families.put(current.name(), current);
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            if (current == null || !sample.group(1).startsWith(current.name())) {
                throw new IllegalArgumentException("sample outside its family (after " + current + "): " + line);
            }
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                if (!FORMAT_LABELS.contains(label.group(1))) {
                    current.labels().add(label.group(1));
                }
            }
        }
        families.keySet().removeIf(name -> name.endsWith("_max") && families.containsKey(name.substring(0, name.length() - 4))
                && Set.of("histogram", "summary").contains(families.get(name.substring(0, name.length() - 4)).type()));
        return families;
    }

    /** The documented families, by name, in the order of the document. */
    public static Map<String, MarkdownDoc.NamedRow> documented(List<String> problems) {
        Map<String, MarkdownDoc.NamedRow> rows = new LinkedHashMap<>();
        for (MarkdownDoc.NamedRow row : MarkdownDoc.read(DOC).namedRows()) {
            if (row.name() == null || row.cells().size() < 3) {
                problems.add(DOC + ":" + row.line() + ": a row needs one metric name in backticks, its type and its"
                        + " labels: " + row.cells());
            } else if (rows.putIfAbsent(row.name(), row) != null) {
                problems.add(DOC + ":" + row.line() + ": `" + row.name() + "` has a row already (line "
                        + rows.get(row.name()).line() + ")");
            }
        }
        return rows;
    }

    /**
     * What differs between the document and a scrape (an empty list when they agree): each difference with the
     * document's line where there is one.
     */
    public static List<String> differences(String exposition, boolean nativeExecutable) {
        List<String> problems = new ArrayList<>();
        Map<String, Family> exposed = exposed(exposition);
        Map<String, MarkdownDoc.NamedRow> documented = documented(problems);
        for (Family family : exposed.values()) {
            MarkdownDoc.NamedRow row = documented.get(family.name());
            if (row == null) {
                problems.add(DOC + ": no row for `" + family.name() + "` (" + family.type() + ", labels "
                        + (family.labels().isEmpty() ? "none" : family.labels()) + ")");
                continue;
            }
            String where = DOC + ":" + row.line() + ": `" + family.name() + "`: ";
            if (!row.cells().get(1).equals(family.type())) {
                problems.add(where + "type '" + row.cells().get(1) + "', exposed as " + family.type());
            }
            Set<String> labels = labels(row.cells().get(2));
            if (!labels.equals(family.labels())) {
                problems.add(where + "labels " + labels + ", exposed with " + family.labels());
            }
        }
        for (MarkdownDoc.NamedRow row : documented.values()) {
            boolean required = !MAY_BE_ABSENT.contains(row.name())
                    && (!nativeExecutable || CHECKED_IN_NATIVE.matcher(row.name()).matches());
            if (required && !exposed.containsKey(row.name())) {
                problems.add(DOC + ":" + row.line() + ": `" + row.name() + "` is not exposed");
            }
        }
        return problems;
    }

    /** The label names of a labels cell: names in backticks, or "none". */
    static Set<String> labels(String cell) {
        Set<String> labels = new TreeSet<>();
        Matcher name = BACKTICKED.matcher(cell);
        while (name.find()) {
            labels.add(name.group(1));
        }
        return labels;
    }
}
