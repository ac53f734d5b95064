package org.acme.example.saturation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.netty.util.internal.PlatformDependent;

/**
 * Holds native memory, outside the heap, growing by steps towards a target and freed at once when released.
 * Off-heap on purpose: the heap is capped by {@code -Xmx} (half the container's limit in the image), so heap growth
 * would end in an {@code OutOfMemoryError} inside the JVM, never in the OOM kill of a pod that the demo is about;
 * and freed native memory leaves the process's RSS at once, without waiting for a garbage collection.
 * <p>
 * The memory is reserved in blocks of {@link #BLOCK} (above glibc's largest mmap threshold, so that each block is
 * its own mapping and {@code free} gives it back to the system) and touched page by page at the growth rate, which is
 * what makes it resident. Unless the OOM kill is allowed, growth stops before the process's resident memory passes
 * {@code SaturationRules.SAFE_SHARE_OF_LIMIT} of the limit.
 * <p>
 * Netty's {@code sun.misc.Unsafe} path rather than direct {@code ByteBuffer}s: those are capped by
 * {@code -XX:MaxDirectMemorySize} (the heap's size by default, half the limit in the image) and freed only by a garbage
 * collection (Quarkus' native substitutions make Netty's explicit free of a direct buffer a no-op). The Unsafe path
 * works in a native executable too: netty-common carries the substitutions that keep it there
 * ({@code io.netty.util.internal.svm}), and native images implement {@code allocateMemory}, {@code setMemory} and
 * {@code freeMemory} with the C library's malloc, memset and free. Netty turns it off only when told to
 * ({@code -Dio.netty.noUnsafe=true}, {@code --sun-misc-unsafe-memory-access} other than {@code allow}); then the
 * fault holds nothing and says so.
 */
final class MemoryHold {

    private static final Logger LOG = Logger.getLogger(MemoryHold.class);
    static final long BLOCK = 64L * 1024 * 1024;

    private final List<long[]> blocks = new ArrayList<>(); // {address, touched bytes}
    private long held;
    private boolean stopped;
    private boolean unavailableLogged;

    static boolean available() {
        return PlatformDependent.hasUnsafe();
    }

    long heldBytes() {
        return held;
    }

    /**
     * Grows the memory held by up to {@code step} bytes, towards {@code target}; gives back what is above a lower
     * target at once.
     *
     * @param ceiling the resident size the process must stay under after the step (Long.MAX_VALUE: none)
     */
    synchronized void grow(long target, long step, long ceiling, LongSupplier residentBytes) {
        if (target < held) {
            release();
        }
        long wanted = Math.min(step, target - held);
        if (wanted <= 0) {
            return;
        }
        if (!available()) {
            if (!unavailableLogged) {
                unavailableLogged = true;
                LOG.warn("The memory growth fault holds nothing: Netty has no sun.misc.Unsafe here (io.netty.noUnsafe,"
                        + " or --sun-misc-unsafe-memory-access other than allow)");
            }
            return;
        }
        if (ceiling != Long.MAX_VALUE && residentBytes.getAsLong() + wanted > ceiling) {
            if (!stopped) {
                stopped = true;
                LOG.warnf("Memory growth stopped at %d MiB held: one more step would pass the safe share of the"
                        + " memory limit (set allowOomKill to go further)", held / (1024 * 1024));
            }
            return;
        }
        while (wanted > 0) {
            long[] last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
            if (last == null || last[1] == BLOCK) {
                last = new long[] { PlatformDependent.allocateMemory(BLOCK), 0 };
                blocks.add(last);
            }
            long bytes = Math.min(wanted, BLOCK - last[1]);
            PlatformDependent.setMemory(last[0] + last[1], bytes, (byte) 1);
            last[1] += bytes;
            held += bytes;
            wanted -= bytes;
        }
    }

    synchronized void release() {
        for (long[] block : blocks) {
            PlatformDependent.freeMemory(block[0]);
        }
        blocks.clear();
        held = 0;
        stopped = false;
    }
}
