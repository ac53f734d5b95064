package org.acme.example.fault;

import org.acme.example.ExampleConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * The optional fault file ({@code example.fault.file}): JSON with the fields of {@code PUT /fault} ({@code for}
 * excepted), applied on top of the configuration to give the baseline. Mounted from one Kubernetes ConfigMap, it sets
 * every replica at once.
 * <p>
 * The file is read once a second on a worker thread and applied when its content changes. Reading the content, not
 * watching for events, sees every way a file can change: the kubelet's atomic swap of the {@code ..data} symlink
 * (the file's own path never changes), an editor's rename, a write in place, and volumes that deliver no inotify
 * events. A missing file means "no file": the configuration alone. At start-up an invalid file stops start-up, like
 * any invalid configuration; later, an invalid file changes nothing, is logged once at WARN with the reason, and
 * {@link #valid()} is false until it is fixed.
 */
@Singleton
public class FaultFile {

    private static final Logger LOG = Logger.getLogger(FaultFile.class);
    static final String PROPERTY = "example.fault.file";
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    /** Far more than all settings take (about 2 KiB with every status in the mix); bounds what one read holds. */
    static final int MAX_BYTES = 16 * 1024;

    /** Receives each new baseline the file gives. */
    @FunctionalInterface
    interface Listener {
        void baseline(FaultSettings baseline, String source, String by);
    }

    private final Optional<Path> path;
    private final FaultSettings configured;
    private final boolean passwordSet;
    private final Vertx vertx;
    private final FaultSettings initial;
    private final String initialSource;
    private volatile String error;
    private long poller = -1;
    // Only read and written by the poll, which never runs twice at once (an ordered blocking task).
    private byte[] lastContent;
    private String lastReadError;

    FaultFile(ExampleConfig config, Vertx vertx) {
        this.path = config.fault().file();
        this.configured = FaultSettings.fromConfig(config);
        this.passwordSet = config.faultControl().password().isPresent();
        this.vertx = vertx;
        if (path.isEmpty()) {
            initial = configured;
            initialSource = FaultState.CONFIGURATION;
            return;
        }
        try {
            lastContent = read();
            initial = parse(lastContent);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(PROPERTY + " (" + path.get() + ") " + reason(e));
        }
        initialSource = lastContent == null ? FaultState.CONFIGURATION : FaultState.FILE;
        LOG.infof("Fault file %s %s", path.get(), lastContent == null
                ? "does not exist (yet): the baseline is the configuration"
                : "read: the baseline is " + FaultJson.write(initial));
    }

    FaultSettings baseline() {
        return initial;
    }

    String baselineSource() {
        return initialSource;
    }

    /** Starts reading the file for changes, if one is configured. */
    void watch(Listener listener) {
        path.ifPresent(file -> poller = vertx.setPeriodic(POLL_INTERVAL.toMillis(),
                id -> vertx.executeBlocking(() -> {
                    poll(listener);
                    return null;
                }, true)));
    }

    @PreDestroy
    void stop() {
        if (poller != -1) {
            vertx.cancelTimer(poller);
        }
    }

    public Optional<Path> path() {
        return path;
    }

    /** Whether the file's current content is in force: true when it is valid or no file is configured. */
    public boolean valid() {
        return error == null;
    }

    /** Why the current content is not in force, while it is invalid. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    private void poll(Listener listener) {
        byte[] content;
        try {
            content = read();
        } catch (IOException | IllegalArgumentException e) {
            String reason = reason(e);
            if (!reason.equals(lastReadError)) {
                lastReadError = reason;
                invalid(reason);
            }
            return;
        }
        if (lastReadError == null && Arrays.equals(content, lastContent)) {
            return;
        }
        lastReadError = null;
        lastContent = content;
        FaultSettings next;
        try {
            next = parse(content);
        } catch (IllegalArgumentException e) {
            invalid(reason(e));
            return;
        }
        if (error != null) {
            LOG.infof("Fault file %s is valid again", path.get());
        }
        error = null;
        listener.baseline(next, content == null ? FaultState.CONFIGURATION : FaultState.FILE,
                "fault file " + path.get() + (content == null ? " (removed: back to the configuration)" : ""));
    }

    private void invalid(String reason) {
        error = reason;
        LOG.warnf("Fault file %s %s; nothing changed: the baseline stays as it was until the file is fixed",
                path.get(), reason);
    }

    /** The file's bytes, or null when it does not exist. */
    private byte[] read() throws IOException {
        try (InputStream in = Files.newInputStream(path.get())) {
            byte[] content = in.readNBytes(MAX_BYTES + 1);
            if (content.length > MAX_BYTES) {
                throw new IllegalArgumentException("is larger than " + MAX_BYTES / 1024 + " KiB");
            }
            return content;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The baseline a content gives: the configuration with the file's settings on top. */
    private FaultSettings parse(byte[] content) {
        if (content == null) {
            return configured;
        }
        String text = new String(content, StandardCharsets.UTF_8);
        FaultSettings settings = FaultJson.read(FaultJson.object(text, "the file"), "", FaultJson.For.FORBIDDEN).change()
                .applyTo(configured, "");
        SaturationRules.authorize(settings, passwordSet, "the fault file");
        return settings;
    }

    private static String reason(Exception e) {
        if (e instanceof IOException) {
            return "cannot be read: " + e;
        }
        return e.getMessage().startsWith("is ") ? e.getMessage() : "is invalid: " + e.getMessage();
    }
}
