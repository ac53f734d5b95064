package org.acme.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.deployment.images.ContainerImages;
import io.quarkus.deployment.pkg.NativeConfig;
import io.quarkus.deployment.pkg.builditem.CompiledJavaVersionBuildItem;

/**
 * A native executable starts only on a C library (glibc) at least as new as the one of the image it was linked in, so
 * the images' bases must be of the builder image's UBI generation: the builder pinned in application.properties
 * ({@code quarkus.native.builder-image}) and the first {@code FROM} of every Dockerfile in src/main/docker (the one
 * {@code podman build --from} replaces, as container-test.sh does). The JVM image shares the generation, so that one
 * base family is patched and scanned. Pinned means a release, not a tag that moves.
 */
class ContainerBasesTest {

    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path DOCKER = Path.of("src/main/docker");
    private static final List<String> DOCKERFILES = List.of("Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro");
    private static final String BUILDER_IMAGE = "quarkus.native.builder-image";
    private static final Pattern FIRST_FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)");
    private static final Pattern UBI_GENERATION = Pattern.compile("(?:^|/)ubi(\\d+)(?:[/-])");
    /** A Mandrel release of the builder images, e.g. 25.0.3.0-Final-java25; not jdk-25, which follows each release. */
    private static final Pattern MANDREL_RELEASE_FOR_JDK_25 = Pattern.compile("25\\.\\d+\\.\\d+\\.\\d+-Final-java25");
    /** The project's classes target Java 17 (maven.compiler.release): class-file version 61. */
    private static final CompiledJavaVersionBuildItem.JavaVersion JAVA_17 = CompiledJavaVersionBuildItem.fromMajorJavaVersion(61)
            .getJavaVersion();

    @Test
    void theBuilderIsAPinnedReleaseOfTheImageQuarkusPicks() throws IOException {
        String builder = builderImage();
        String quarkusDefault = new MandrelBuilder().getEffectiveImage();
        assertEquals(repository(quarkusDefault), repository(builder), "Quarkus builds in " + quarkusDefault
                + " by default: pin a release of it in " + BUILDER_IMAGE + " and move the Dockerfiles to its UBI generation");
        assertTrue(MANDREL_RELEASE_FOR_JDK_25.matcher(tag(builder)).matches(),
                BUILDER_IMAGE + "=" + builder + ": pin a Mandrel release for JDK 25 (such as 25.0.3.0-Final-java25)");
    }

    @Test
    void everyDockerfileIsBasedOnTheBuildersUbiGeneration() throws IOException {
        String builder = builderImage();
        int generation = ubiGeneration(builder);
        for (String dockerfile : DOCKERFILES) {
            String base = base(dockerfile);
            assertEquals(generation, ubiGeneration(base), dockerfile + " is based on " + base + ", the native builder ("
                    + BUILDER_IMAGE + ") is " + builder);
            assertFalse(tag(base).isEmpty() || tag(base).equals("latest"), dockerfile + ": pin the base's version: " + base);
        }
    }

    @Test
    void theBasesAreTheImagesQuarkusPairsWithItsBuilder() throws IOException {
        assertEquals(repository(ContainerImages.getDefaultJvmImage(JAVA_17)), repository(base("Dockerfile.jvm")));
        assertEquals(repository(ContainerImages.QUARKUS_MICRO_IMAGE), repository(base("Dockerfile.native-micro")));
    }

    private static String builderImage() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(PROPERTIES)) {
            properties.load(in);
        }
        String builder = properties.getProperty(BUILDER_IMAGE);
        assertTrue(builder != null && !builder.isBlank(), "no " + BUILDER_IMAGE + " in " + PROPERTIES);
        return builder.trim();
    }

    private static String base(String dockerfile) throws IOException {
        Matcher from = FIRST_FROM.matcher(Files.readString(DOCKER.resolve(dockerfile)));
        assertTrue(from.find(), dockerfile + " has no FROM");
        return from.group(1);
    }

    /** The UBI generation an image names (ubi9/..., ubi9-quarkus-...); images that name none fail the test. */
    private static int ubiGeneration(String image) {
        Matcher generation = UBI_GENERATION.matcher(repository(image));
        assertTrue(generation.find(), image + " does not say which UBI generation it is built on");
        return Integer.parseInt(generation.group(1));
    }

    private static String repository(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    private static String tag(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "";
    }

    /** What {@code quarkus.native.builder-image=mandrel}, Quarkus' default, resolves to. */
    private static final class MandrelBuilder implements NativeConfig.BuilderImageConfig {
        @Override
        public String image() {
            return NativeConfig.BuilderImageProvider.MANDREL.name().toLowerCase();
        }

        @Override
        public NativeConfig.ImagePullStrategy pull() {
            return NativeConfig.ImagePullStrategy.MISSING;
        }
    }
}
