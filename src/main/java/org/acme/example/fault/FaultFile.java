package org.acme.example.fault;

import org.acme.example.Durations;
import org.acme.example.ExampleConfig;
import org.acme.example.InvalidSetting;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * The optional fault file ({@code example.fault.file}): JSON with the fields of {@code PUT /fault} ({@code for}
 * excepted), applied on top of the configuration to give the baseline. Mounted from one Kubernetes ConfigMap, it sets
 * every replica at once.
 * <p>
 * The file is read once a second and applied when its content changes. Reading the content, not
 * watching for events, sees every way a file can change: the kubelet's atomic swap of the {@code ..data} symlink
 * (the file's own path never changes), an editor's rename, a write in place, and volumes that deliver no inotify
 * events. A missing file means "no file": the configuration alone. At start-up an invalid file stops start-up, like
 * any invalid configuration; later, an invalid file changes nothing, is logged once at WARN with the reason, and
 * {@link #valid()} is false until it is fixed.
 * <p>
 * Only a regular file is read: a FIFO, a directory or a device in its place is invalid, without being opened (opening
 * a FIFO blocks until someone writes to it). Each read runs on a daemon thread of its own and is abandoned when it
 * takes longer than {@code example.fault.file-read-timeout}, which makes the file invalid too ({@link FaultFileReads}).
 */
@Singleton
public class FaultFile {

    private static final Logger LOG = Logger.getLogger(FaultFile.class);
    static final String PROPERTY = "example.fault.file";
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    /** Far more than all settings take (about 2 KiB with every status in the mix); bounds what one read holds. */
    static final int MAX_BYTES = 16 * 1024;
    static final String READ_TIMEOUT = "example.fault.file-read-timeout";
    static final Duration MIN_READ_TIMEOUT = Duration.ofMillis(100);
    static final Duration MAX_READ_TIMEOUT = Duration.ofSeconds(60);
    static final String READ_TIMEOUT_RANGE = "a duration from " + MIN_READ_TIMEOUT.toMillis() + "ms to "
            + MAX_READ_TIMEOUT.toSeconds() + "s (such as 3s)";

    /** Receives each new baseline the file gives. */
    @FunctionalInterface
    interface Listener {
        void baseline(FaultSettings baseline, String source, String by);
    }

    private final Optional<Path> path;
    private final FaultSettings configured;
    private final boolean passwordSet;
    private final Vertx vertx;
    private final FaultFileReads reads;
    private final FaultSettings initial;
    private final String initialSource;
    private volatile String error;
    private long poller = -1;
    // Guarded by this: the reads, one after the other on threads of their own, and the poll that abandons one.
    private byte[] lastContent;
    private String lastReadError;

    FaultFile(ExampleConfig config, Vertx vertx) {
        this.path = config.fault().file();
        this.configured = FaultSettings.fromConfig(config);
        this.passwordSet = config.faultControl().password().isPresent();
        this.vertx = vertx;
        this.reads = new FaultFileReads(config.fault().fileReadTimeout());
        if (path.isEmpty()) {
            initial = configured;
            initialSource = FaultState.CONFIGURATION;
            return;
        }
        Read first;
        try {
            first = reads.readNow(this::read);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException(PROPERTY + " (" + path.get() + ") " + tooSlow());
        }
        if (first.problem() != null) {
            throw new IllegalArgumentException(PROPERTY + " (" + path.get() + ") " + first.problem());
        }
        lastContent = first.content();
        try {
            initial = parse(lastContent);
        } catch (IllegalArgumentException e) {
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
        path.ifPresent(file -> poller = vertx.setPeriodic(POLL_INTERVAL.toMillis(), id -> {
            if (reads.abandonOverdue()) {
                abandoned();
            }
            reads.start(this::read, content -> changed(content, listener));
        }));
    }

    @PreDestroy
    void stop() {
        if (poller != -1) {
            vertx.cancelTimer(poller);
        }
        reads.stop();
    }

    /** Reads {@code example.fault.file-read-timeout}: long enough for a slow volume, short enough to be noticed. */
    static Duration parseReadTimeout(String text) {
        Duration timeout = Durations.parse(READ_TIMEOUT, text, READ_TIMEOUT_RANGE);
        if (timeout.compareTo(MIN_READ_TIMEOUT) < 0 || timeout.compareTo(MAX_READ_TIMEOUT) > 0) {
            throw new IllegalArgumentException(InvalidSetting.message(READ_TIMEOUT, text, READ_TIMEOUT_RANGE));
        }
        return timeout;
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

    private synchronized void abandoned() {
        readFailed(tooSlow() + ": the read was abandoned");
    }

    private String tooSlow() {
        return "could not be read within " + Durations.format(reads.timeout()) + " (" + READ_TIMEOUT + ")";
    }

    private synchronized void readFailed(String reason) {
        if (!reason.equals(lastReadError)) {
            lastReadError = reason;
            invalid(reason);
        }
    }

    /** A read's outcome: what the file holds now, and whether that changes anything. */
    private synchronized void changed(Read read, Listener listener) {
        if (read.problem() != null) {
            readFailed(read.problem());
            return;
        }
        byte[] content = read.content();
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

    /** What one read found: the file's bytes (null when it does not exist), or why it could not be read. */
    private record Read(byte[] content, String problem) {
    }

    /** Reads the file once; blocks as long as the file system does (a reader's thread). */
    private Read read() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path.get(), BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new IllegalArgumentException("is not a regular file but "
                        + (attributes.isDirectory() ? "a directory" : "a FIFO, a socket or a device") + ": not read");
            }
            try (InputStream in = Files.newInputStream(path.get())) {
                byte[] content = in.readNBytes(MAX_BYTES + 1);
                if (content.length > MAX_BYTES) {
                    throw new IllegalArgumentException("is larger than " + MAX_BYTES / 1024 + " KiB");
                }
                return new Read(content, null);
            }
        } catch (NoSuchFileException e) {
            return new Read(null, null);
        } catch (IOException | RuntimeException e) {
            return new Read(null, reason(e));
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
        if (!(e instanceof IllegalArgumentException) || e.getMessage() == null) {
            return "cannot be read: " + e;
        }
        return e.getMessage().startsWith("is ") ? e.getMessage() : "is invalid: " + e.getMessage();
    }
}
