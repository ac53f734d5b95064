package org.acme.example.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What the service should say it was built from, found without the build's own file: the commit from git (as the
 * build asks it, or "unknown" outside a clone or without git) and the Quarkus version from quarkus-core's Maven
 * metadata on the test class path.
 */
public final class ExpectedBuild {

    private ExpectedBuild() {
    }

    public static String commit() {
        if (!Files.exists(Path.of(".git"))) {
            return "unknown"; // the build asks git only in a clone (a worktree has a .git file)
        }
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!git.waitFor(30, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                throw new IllegalStateException("git rev-parse did not finish");
            }
            return git.exitValue() == 0 && output.matches("[0-9a-f]{7,40}") ? output : "unknown";
        } catch (IOException e) {
            return "unknown"; // no git
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String quarkus() {
        Properties properties = new Properties();
        try (InputStream in = ExpectedBuild.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/io.quarkus/quarkus-core/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("quarkus-core's pom.properties is not on the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }
}
