package org.acme.example.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For {@code @QuarkusIntegrationTest}: the packaged service runs with the prod profile, so its management
 * interface would bind the fixed port 9101. This gives it a free port instead and injects the management base URL
 * ({@code http://127.0.0.1:PORT}) into the test's {@link Url}-annotated {@code String} field.
 */
public class FreeManagementPort implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Url {
    }

    private int port;

    @Override
    public Map<String, String> start() {
        try {
            port = PackagedApp.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.management.port", String.valueOf(port), "quarkus.management.host", "127.0.0.1");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields("http://127.0.0.1:" + port,
                new TestInjector.AnnotatedAndMatchesType(Url.class, String.class));
    }

    @Override
    public void stop() {
        // nothing to release: the port belongs to the service, which the test framework stops
    }
}
