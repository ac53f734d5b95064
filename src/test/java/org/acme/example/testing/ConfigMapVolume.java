package org.acme.example.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory laid out and updated as the kubelet does for a ConfigMap volume: the key's file is a symlink to
 * {@code ..data/KEY}, {@code ..data} a symlink to a timestamped directory holding the content. An update writes a new
 * timestamped directory, points {@code ..data_tmp} at it and renames that onto {@code ..data} (the one atomic step),
 * then removes the old directory. The file's own path never changes.
 */
public final class ConfigMapVolume {

    private final Path dir;
    private final String key;
    private int version;
    private Path current;

    private ConfigMapVolume(Path dir, String key) {
        this.dir = dir;
        this.key = key;
    }

    /** An empty volume, as for an optional ConfigMap that does not exist yet. */
    public static ConfigMapVolume create(Path dir, String key) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ConfigMapVolume(dir, key);
    }

    /** The path the service is given. */
    public Path file() {
        return dir.resolve(key);
    }

    /** Publishes new content with the kubelet's atomic swap. */
    public void publish(String content) {
        try {
            Path next = dir.resolve("..2026_11_25_00_00_00." + (++version));
            Files.createDirectory(next);
            Files.writeString(next.resolve(key), content);
            Path tmp = dir.resolve("..data_tmp");
            Files.createSymbolicLink(tmp, next.getFileName());
            Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            if (!Files.isSymbolicLink(file())) {
                Files.createSymbolicLink(file(), Path.of("..data", key));
            }
            if (current != null) {
                delete(current);
            }
            current = next;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ConfigMap is deleted: the kubelet empties the volume. */
    public void delete() {
        try {
            Files.deleteIfExists(file());
            Files.deleteIfExists(dir.resolve("..data"));
            if (current != null) {
                delete(current);
                current = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path tree) throws IOException {
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
