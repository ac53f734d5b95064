package org.acme.example.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;

/**
 * The configuration document matches the code, without starting the service. Its tables have one property per row,
 * in backticks in the first column, then the environment variable, the default, the allowed values and the meaning.
 * <ul>
 * <li>Every property of every {@code @ConfigMapping} interface of the service (found in {@code target/classes}, named
 * as SmallRye Config names them) has a row, and every row names a property that exists: one of those, or a Quarkus
 * property of an extension on the class path (from the config model Quarkus ships in each extension's jar).</li>
 * <li>The environment variable column starts with the property's environment variable.</li>
 * <li>The default column starts with the value the packaged service runs with, in backticks: the production value of
 * {@code application.properties}, else the mapping's {@code @WithDefault}; or with "none" when there is none. For a
 * Quarkus property that {@code application.properties} leaves alone, Quarkus' own default is not checked (its model
 * does not always state it, e.g. the hosts).</li>
 * <li>A Quarkus property fixed at build time says "build time" in its row.</li>
 * </ul>
 */
class ConfigurationDocTest {

    static final Path DOC = Path.of("src/site/markdown/configuration.md");
    static final Path CLASSES = Path.of("target/classes");
    static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    static final String QUARKUS_MODEL = "META-INF/quarkus-config-doc/quarkus-config-model.json";
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    /** {@code ${VARIABLE:fallback}}: the value is the fallback unless the variable is set. */
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{[^:}]+:([^}]*)}");

    /** A Quarkus property as its extension's config model describes it. */
    record QuarkusProperty(String environmentVariable, String phase) {
    }

    @Test
    void everyPropertyOfTheMappingsIsDocumented() {
        Set<String> documented = documented().keySet();
        Set<String> missing = new TreeSet<>(mapped().keySet());
        missing.removeAll(documented);
        assertEquals(Set.of(), missing, "properties of the configuration mappings without a row in " + DOC);
    }

    @Test
    void everyDocumentedPropertyExists() {
        Map<String, ConfigMappingInterface.Property> mapped = mapped();
        Map<String, QuarkusProperty> quarkus = quarkusProperties();
        List<String> unknown = new ArrayList<>();
        for (MarkdownDoc.NamedRow row : documented().values()) {
            if (!mapped.containsKey(row.name()) && !quarkus.containsKey(row.name())) {
                unknown.add(DOC + ":" + row.line() + ": `" + row.name() + "` is neither in a @ConfigMapping of the"
                        + " service nor a property of a Quarkus extension on the class path");
            }
        }
        assertEquals("", String.join("\n", unknown));
    }

    @Test
    void theServicesOwnPropertiesInApplicationPropertiesAreMapped() {
        Set<String> unmapped = new TreeSet<>();
        for (String key : applicationProperties().stringPropertyNames()) {
            String name = key.replaceFirst("^%[^.]+\\.", "");
            if (name.startsWith("example.") && !mapped().containsKey(name)) {
                unmapped.add(key);
            }
        }
        assertEquals(Set.of(), unmapped, PROPERTIES + " sets example.* properties that no @ConfigMapping declares");
    }

    @Test
    void environmentVariablesAndDefaultsAreTheCodes() {
        Map<String, ConfigMappingInterface.Property> mapped = mapped();
        Map<String, QuarkusProperty> quarkus = quarkusProperties();
        Properties properties = applicationProperties();
        List<String> wrong = new ArrayList<>();
        for (MarkdownDoc.NamedRow row : documented().values()) {
            String where = DOC + ":" + row.line() + ": `" + row.name() + "`: ";
            if (row.cells().size() < 5) {
                wrong.add(where + "a row needs 5 columns (property, environment variable, default, allowed values,"
                        + " meaning), it has " + row.cells().size());
                continue;
            }
            String expectedVariable = quarkus.containsKey(row.name())
                    ? quarkus.get(row.name()).environmentVariable() : environmentVariable(row.name());
            String variable = firstBackticked(row.cells().get(1));
            if (!expectedVariable.equals(variable)) {
                wrong.add(where + "environment variable `" + variable + "`, expected `" + expectedVariable + "`");
            }

            String expectedDefault = expectedDefault(row.name(), properties, mapped.get(row.name()));
            String cell = row.cells().get(2);
            if ("none".equals(expectedDefault)) {
                if (!cell.startsWith("none")) {
                    wrong.add(where + "default '" + cell + "', expected it to start with 'none' (no value set)");
                }
            } else if (expectedDefault != null && !expectedDefault.equals(firstBackticked(cell))) {
                wrong.add(where + "default '" + cell + "', expected it to start with `" + expectedDefault + "`");
            }

            QuarkusProperty fromQuarkus = quarkus.get(row.name());
            if (fromQuarkus != null && fromQuarkus.phase().startsWith("BUILD")
                    && !String.join(" ", row.cells()).contains("build time")) {
                wrong.add(where + "fixed at build time (" + fromQuarkus.phase() + "): its row must say \"build time\"");
            }
        }
        assertEquals("", String.join("\n", wrong));
    }

    /**
     * The value the packaged service runs with: {@code application.properties} ({@code %prod.} first), else the
     * mapping's default; "none" for a mapped property with neither; null when unknown here (Quarkus' own default).
     */
    static String expectedDefault(String name, Properties properties, ConfigMappingInterface.Property mapped) {
        String value = properties.getProperty("%prod." + name, properties.getProperty(name));
        if (value != null) {
            Matcher expression = EXPRESSION.matcher(value.strip());
            if (expression.matches()) {
                value = expression.group(1);
            }
            return value.isBlank() ? "none" : value.strip();
        }
        if (mapped == null) {
            return null;
        }
        return mapped.hasDefaultValue() ? mapped.getDefaultValue() : "none";
    }

    /** SmallRye Config's rule: upper case, and every character other than a letter or digit becomes {@code _}. */
    static String environmentVariable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The rows of the document by property name; fails on a malformed or repeated row. */
    static Map<String, MarkdownDoc.NamedRow> documented() {
        Map<String, MarkdownDoc.NamedRow> rows = new LinkedHashMap<>(); // in the order of the document
        List<String> malformed = new ArrayList<>();
        for (MarkdownDoc.NamedRow row : MarkdownDoc.read(DOC).namedRows()) {
            if (row.name() == null) {
                malformed.add(DOC + ":" + row.line() + ": the first column must hold exactly one property in backticks: "
                        + row.cells().get(0));
            } else if (rows.putIfAbsent(row.name(), row) != null) {
                malformed.add(DOC + ":" + row.line() + ": `" + row.name() + "` has a row already (line "
                        + rows.get(row.name()).line() + ")");
            }
        }
        assertEquals("", String.join("\n", malformed));
        assertFalse(rows.isEmpty(), "no property rows in " + DOC);
        return rows;
    }

    /** Every leaf property of the service's {@code @ConfigMapping} interfaces, by its full name. */
    static Map<String, ConfigMappingInterface.Property> mapped() {
        Map<String, ConfigMappingInterface.Property> properties = new TreeMap<>();
        for (Class<?> mapping : configMappings()) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            ConfigMappings.getProperties(new ConfigMappings.ConfigClass(mapping, prefix)).forEach((name, property) -> {
                if (!property.isGroup()) {
                    properties.put(name, property.isOptional() && property.asOptional().getNestedProperty().isLeaf()
                            ? property.asOptional().getNestedProperty() : property);
                }
            });
        }
        assertFalse(properties.isEmpty(), "no @ConfigMapping found in " + CLASSES);
        return properties;
    }

    /** The interfaces annotated {@code @ConfigMapping} among the compiled classes of the service. */
    static List<Class<?>> configMappings() {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            List<Class<?>> mappings = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace(".class", "").replace('/', '.');
                Class<?> type = Class.forName(name, false, ConfigurationDocTest.class.getClassLoader());
                if (type.isInterface() && type.isAnnotationPresent(ConfigMapping.class)) {
                    mappings.add(type);
                }
            }
            return mappings;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The properties of every Quarkus extension on the class path, from the config model in its jar. */
    static Map<String, QuarkusProperty> quarkusProperties() {
        Map<String, QuarkusProperty> properties = new TreeMap<>();
        try {
            for (URL model : Collections.list(ConfigurationDocTest.class.getClassLoader().getResources(QUARKUS_MODEL))) {
                try (InputStream in = model.openStream(); JsonReader reader = Json.createReader(in)) {
                    collect(reader.readObject(), properties);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertFalse(properties.isEmpty(), "no " + QUARKUS_MODEL + " on the class path");
        return properties;
    }

    private static void collect(JsonValue value, Map<String, QuarkusProperty> properties) {
        if (value instanceof JsonObject object) {
            if (object.getString("@class", "").endsWith(".ConfigProperty") && object.containsKey("path")) {
                String phase = object.getString("phase", "RUN_TIME");
                addPath(object.getJsonObject("path"), phase, properties);
                if (object.get("additionalPaths") instanceof JsonArray aliases) {
                    aliases.forEach(alias -> addPath(alias.asJsonObject(), phase, properties));
                }
            }
            object.values().forEach(nested -> collect(nested, properties));
        } else if (value instanceof JsonArray array) {
            array.forEach(nested -> collect(nested, properties));
        }
    }

    private static void addPath(JsonObject path, String phase, Map<String, QuarkusProperty> properties) {
        String name = path.getString("property");
        properties.put(name, new QuarkusProperty(path.getString("environmentVariable", environmentVariable(name)), phase));
    }

    static Properties applicationProperties() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(PROPERTIES)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static String firstBackticked(String cell) {
        Matcher matcher = BACKTICKED.matcher(cell);
        return matcher.find() ? matcher.group(1) : cell;
    }
}
