package org.acme.example.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What the tests do with the servers they start as processes. */
public final class Processes {

    private Processes() {
    }

    /** SIGTERM, as an orchestrator would send it; SIGKILL if the process has not exited within the timeout. */
    public static void stop(Process process, Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A figure of {@code /proc/PID/status}, such as VmRSS, in kB. */
    public static long statusKilobytes(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
            throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log a process wrote so far, or a note saying why there is none (for failure messages). */
    public static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "<no output: " + e + ">";
        }
    }
}
