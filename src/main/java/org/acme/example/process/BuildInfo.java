package org.acme.example.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * What is running: the service's version, the commit it was built from, the Quarkus and Java versions, and whether
 * it runs on a JVM or as a native executable. As the gauge {@code example_build_info} (always 1, the facts in its
 * labels, so that a query can join them to any other series by instance) and as one line of the start-up log.
 * <p>
 * The version, the Quarkus version and the commit come from {@value #RESOURCE}, which the build writes (pom.xml,
 * maven-antrun-plugin); a build that skipped that step (an IDE's) says "unknown". The Java version and the runtime are
 * the running process's own, read when the bean is created: in a native executable, classes are initialized at build
 * time, so nothing here is kept in a static field.
 */
@Singleton
public class BuildInfo implements MeterBinder {

    static final String RESOURCE = "build-info.properties";
    static final String UNKNOWN = "unknown";
    private static final Logger LOG = Logger.getLogger(BuildInfo.class);

    private final String version;
    private final String commit;
    private final String quarkus;
    private final String java;
    private final String runtime;

    BuildInfo() {
        Properties build = read();
        this.version = build.getProperty("version", UNKNOWN);
        this.commit = build.getProperty("commit", UNKNOWN);
        this.quarkus = build.getProperty("quarkus", UNKNOWN);
        this.java = System.getProperty("java.version", UNKNOWN);
        this.runtime = ImageMode.current().isNativeImage() ? "native" : "jvm";
    }

    private static Properties read() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return properties;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("example.build.info", () -> 1)
                .description("Always 1; what is running is in the labels: the service's version, the commit it was"
                        + " built from (unknown without git), the Quarkus and Java versions, jvm or native")
                .tag("version", version)
                .tag("commit", commit)
                .tag("quarkus", quarkus)
                .tag("java", java)
                .tag("runtime", runtime)
                .strongReference(true) // nothing else holds the supplier: a gauge's state is weakly held by default
                .register(registry);
    }

    void log(@Observes StartupEvent started) {
        LOG.infof("Build: version %s, commit %s, Quarkus %s, Java %s, %s", version, commit, quarkus, java, runtime);
    }
}
