package org.acme.example.fault;

import static org.acme.example.InvalidSetting.message;

import org.acme.example.Durations;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bounds of the saturation faults (CPU burn, memory growth, hang, reset, crash), written once and used by every
 * source ({@code PUT /fault}, the fault file, scenario steps, the configuration). The machine's own limits (cores,
 * memory) are read when a change is checked, never captured at build time.
 * <p>
 * The faults that end or starve the process (a crash, memory beyond the limit, CPU on every core) are
 * {@link #authorize authorized} only when the operator password is set: without it, anyone who reaches the
 * management port could take the service down.
 */
public final class SaturationRules {

    public static final String CORES_RANGE = "a number of cores from 0 to the available processors";
    public static final String SHARE_RANGE = "a number in [0, 1]";
    public static final String SIZE_RANGE = "a size with a unit (B, KiB, MiB, GiB), such as 256MiB";
    public static final String RATE_RANGE = "a size per second from 1MiB/s to 1GiB/s, such as 16MiB/s";
    public static final String CRASH_AFTER_RANGE = "a duration of 0 to 24h, such as 30s";
    public static final String EXIT_CODE_RANGE = "an exit code from 1 to 255";
    /** Requests held unanswered at most: each holds a connection and a little memory (hostile-client guarantees). */
    public static final int MAX_HELD_REQUESTS = 256;
    /** Memory growth stops before the process's resident memory passes this share of the limit, unless allowOomKill. */
    public static final double SAFE_SHARE_OF_LIMIT = 0.9;
    public static final long MIB = 1024 * 1024;
    static final long MIN_RATE = MIB;
    static final long MAX_RATE = 1024 * MIB;
    static final long DEFAULT_RATE = 16 * MIB;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(B|KiB|MiB|GiB)");
    private static final Pattern RATE = Pattern.compile("(.+)/s");

    private SaturationRules() {
    }

    /** The cores a burn may keep busy at most: those of this process (a container's CPU limit included). */
    public static int availableCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The memory the process may use: the container's limit when there is one, else the machine's memory. */
    public static long memoryLimitBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }

    static double cores(String name, double value) {
        if (!(value >= 0 && value <= availableCores())) {
            throw new IllegalArgumentException(message(name, FaultRules.shown(value),
                    CORES_RANGE + " (" + availableCores() + " here)"));
        }
        return value + 0.0;
    }

    static double share(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(message(name, FaultRules.shown(value), SHARE_RANGE));
        }
        return value + 0.0;
    }

    /** A size such as {@code 256MiB}, in bytes. */
    public static long parseSize(String name, String text, String range) {
        Matcher matcher = SIZE.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(message(name, text, range));
        }
        long unit = switch (matcher.group(2)) {
            case "KiB" -> 1024;
            case "MiB" -> MIB;
            case "GiB" -> 1024 * MIB;
            default -> 1;
        };
        return Math.multiplyExact(Long.parseLong(matcher.group(1)), unit);
    }

    /** A rate such as {@code 16MiB/s}, in bytes per second. */
    public static long parseRate(String name, String text) {
        Matcher matcher = RATE.matcher(text == null ? "" : text.trim());
        long rate = matcher.matches() ? parseSize(name, matcher.group(1), RATE_RANGE) : -1;
        if (rate < MIN_RATE || rate > MAX_RATE) {
            throw new IllegalArgumentException(message(name, text, RATE_RANGE));
        }
        return rate;
    }

    /** A size as answers show it and {@link #parseSize} reads it back: the largest whole unit. */
    public static String formatSize(long bytes) {
        if (bytes != 0 && bytes % (1024 * MIB) == 0) {
            return bytes / (1024 * MIB) + "GiB";
        }
        if (bytes != 0 && bytes % MIB == 0) {
            return bytes / MIB + "MiB";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "KiB";
        }
        return bytes + "B";
    }

    /** At most twice the limit, even with allowOomKill: enough for an OOM kill, never a typo's petabyte. */
    static long memoryTarget(String name, long bytes, String shown) {
        long max = 2 * memoryLimitBytes();
        if (bytes < 0 || bytes > max) {
            throw new IllegalArgumentException(message(name, shown, SIZE_RANGE + ", at most twice the memory limit ("
                    + formatSize(max) + " here)"));
        }
        return bytes;
    }

    static Duration crashAfter(String name, Duration after) {
        if (after.isNegative() || after.compareTo(FaultRules.MAX_FAULT_DURATION) > 0) {
            throw new IllegalArgumentException(message(name, Durations.format(after), CRASH_AFTER_RANGE));
        }
        return after;
    }

    static int exitCode(String name, int code) {
        if (code < 1 || code > 255) {
            throw new IllegalArgumentException(message(name, String.valueOf(code), EXIT_CODE_RANGE));
        }
        return code;
    }

    /**
     * Refuses what would end or starve the process unless the operator password is set: a crash, memory growth
     * allowed past the limit (allowOomKill), a CPU burn of every core. Checked on the settings a change gives, so
     * that a change of one field cannot complete a dangerous combination another source set.
     *
     * @param where what is refused, for the message: "PUT /fault", "the fault file", "steps[1]"
     * @throws IllegalArgumentException naming every refused setting and the reason
     */
    public static void authorize(FaultSettings settings, boolean passwordSet, String where) {
        if (passwordSet) {
            return;
        }
        List<String> refused = new ArrayList<>();
        if (settings.crashAfter() != null) {
            refused.add(FaultJson.CRASH_AFTER + " (ends the process)");
        }
        if (settings.allowOomKill() && settings.memoryTargetBytes() > 0) {
            refused.add(FaultJson.ALLOW_OOM_KILL + " (memory beyond the limit ends the process)");
        }
        if (settings.cpuBurnCores() > 0 && settings.cpuBurnCores() >= availableCores()) {
            refused.add(FaultJson.CPU_BURN_CORES + " " + FaultRules.shown(settings.cpuBurnCores())
                    + " (every core of " + availableCores() + ": starves the service)");
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(where + " refused: " + String.join(", ", refused)
                    + " only with the operator password set (EXAMPLE_FAULT_CONTROL_PASSWORD), so that no one who merely"
                    + " reaches the management port can end or starve the service");
        }
    }
}
