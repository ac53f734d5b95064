package org.acme.example.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real memory limit for one process the test starts, as a container's: a cgroup v1 memory controller group
 * (what the CI machines have) that holds only that process, from its first instruction on (see {@link #wrap}), and is
 * removed when closed. Needs root.
 * <p>
 * cgroup v1 charges the kernel's socket buffers to their own counter ({@code memory.kmem.tcp.*}), and only once it
 * has a limit; cgroup v2, which containers have, charges them to the memory itself. So the group is given the same
 * limit for both, and {@link #peakBytes()} adds them up: what a container under cgroup v2 would count.
 */
public final class MemoryCgroup implements AutoCloseable {

    private static final Path ROOT = Path.of("/sys/fs/cgroup/memory");

    private final Path dir;
    private final long limitBytes;

    private MemoryCgroup(Path dir, long limitBytes) {
        this.dir = dir;
        this.limitBytes = limitBytes;
    }

    /** Whether this machine lets a test make one: cgroup v1's memory controller, writable (root). */
    public static boolean available() {
        return Files.isWritable(ROOT.resolve("cgroup.procs")) && Files.exists(ROOT.resolve("memory.kmem.tcp.limit_in_bytes"));
    }

    /** A new, empty group of that limit (its name made unique with this process's id). */
    public static MemoryCgroup create(String name, long limitBytes) {
        Path dir = ROOT.resolve(name + "-" + ProcessHandle.current().pid());
        try {
            Files.createDirectory(dir);
            MemoryCgroup group = new MemoryCgroup(dir, limitBytes);
            group.write("memory.limit_in_bytes", limitBytes);
            group.write("memory.kmem.tcp.limit_in_bytes", limitBytes);
            return group;
        } catch (IOException e) {
            throw new UncheckedIOException("could not make the memory cgroup " + dir, e);
        }
    }

    /**
     * The command, started in this group: a shell that moves itself into it, then becomes the command ({@code exec}),
     * so that all the command's memory is charged here and nothing else is (the test runner stays outside).
     */
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c",
                "echo $$ > '" + dir.resolve("cgroup.procs") + "' && exec \"$0\" \"$@\""));
        wrapped.addAll(command);
        return wrapped;
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** The memory charged now: the process's own and the page cache it brought in. */
    public long usageBytes() {
        return read("memory.usage_in_bytes");
    }

    /** The most memory charged so far. */
    public long maxUsageBytes() {
        return read("memory.max_usage_in_bytes");
    }

    /** The most the kernel's socket buffers of the group held so far. */
    public long maxSocketBytes() {
        return read("memory.kmem.tcp.max_usage_in_bytes");
    }

    /** The most memory and socket buffers together, as cgroup v2 counts them (an upper bound: two peaks added). */
    public long peakBytes() {
        return maxUsageBytes() + maxSocketBytes();
    }

    /** How many times a charge hit the limit (the kernel then reclaimed memory, or killed). */
    public long failCount() {
        return read("memory.failcnt");
    }

    /** Whether the kernel's OOM killer killed a process of the group. */
    public boolean oomKilled() {
        for (String line : lines("memory.oom_control")) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring("oom_kill ".length()).trim()) > 0;
            }
        }
        return false;
    }

    /** Removes the group, once the process in it has ended (within a few seconds). */
    @Override
    public void close() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!lines("cgroup.procs").isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processes still in " + dir + ": " + lines("cgroup.procs"));
            }
            Poll.pause();
        }
        try {
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the memory cgroup " + dir, e);
        }
    }

    @Override
    public String toString() {
        return String.format("cgroup %s: limit %d MiB, peak %d MiB + %d MiB socket buffers, %d failed charges%s",
                dir.getFileName(), limitBytes >> 20, maxUsageBytes() >> 20, maxSocketBytes() >> 20, failCount(),
                oomKilled() ? ", OOM kill" : "");
    }

    private void write(String file, long value) throws IOException {
        Files.writeString(dir.resolve(file), Long.toString(value));
    }

    private long read(String file) {
        return Long.parseLong(lines(file).get(0).trim());
    }

    private List<String> lines(String file) {
        try {
            return Files.readAllLines(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
