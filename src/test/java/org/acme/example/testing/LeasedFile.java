package org.acme.example.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A regular file that other processes cannot open while this holds a write lease on it (Linux {@code fcntl}
 * {@code F_SETLEASE}): their {@code open} blocks until the lease is released, or broken by the kernel after
 * {@code /proc/sys/fs/lease-break-time} (45 s by default). A stand-in for a file on a hung network mount. The lease is
 * taken by perl (part of every Debian system), as Java has no call for it; the holder ignores the SIGIO that tells it
 * someone waits.
 */
public final class LeasedFile implements AutoCloseable {

    private static final String HOLD = "$SIG{IO} = 'IGNORE'; open(my $fh, '+<', $ARGV[0]) or die \"open: $!\\n\";"
            // F_SETLEASE (1024), F_WRLCK (1): needs the only open descriptor of a file the caller owns.
            + " fcntl($fh, 1024, 1) or die \"lease: $!\\n\"; $| = 1; print \"leased\\n\"; sleep 600;";

    private final Process holder;

    private LeasedFile(Process holder) {
        this.holder = holder;
    }

    /** Takes the lease on an existing file nothing else has open, and returns once it is held. */
    public static LeasedFile hold(Path file) {
        try {
            Process holder = new ProcessBuilder("perl", "-e", HOLD, file.toString()).redirectErrorStream(true).start();
            String first = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (!"leased".equals(first)) {
                holder.destroyForcibly();
                throw new IllegalStateException("no lease on " + file + ": " + first);
            }
            return new LeasedFile(holder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Releases the lease: an open waiting for it goes on. */
    @Override
    public void close() {
        holder.destroy();
        try {
            holder.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
