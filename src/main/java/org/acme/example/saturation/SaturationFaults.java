package org.acme.example.saturation;

import org.acme.example.fault.FaultPolicy;
import org.acme.example.fault.FaultSettings;
import org.acme.example.fault.FaultState;
import org.acme.example.fault.SaturationRules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Runs the saturation faults the settings ask for: follows every change of the {@link FaultState} (a PUT, its end,
 * a scenario step, the fault file, {@code DELETE /fault}) and makes the CPU burn, the memory held and the crash match
 * the effective settings; hang and reset act per request ({@link RequestIncidents}). Everything stops at shutdown,
 * so that a dev-mode restart leaves no burner thread or memory behind. What each is doing is a gauge.
 */
@Startup
@Singleton
public class SaturationFaults {

    /** Memory grows by a quarter of its rate four times a second: a smooth line on a 15 s scrape. */
    private static final long GROWTH_PERIOD_MS = 250;
    private static final Path STATUS = Path.of("/proc/self/status");

    private final FaultPolicy policy;
    private final HeldRequests held;
    private final CpuBurn cpu = new CpuBurn();
    private final MemoryHold memory = new MemoryHold();
    private final DeliberateCrash crash = new DeliberateCrash();
    private final ScheduledExecutorService growth = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "memory-growth");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> growing;

    SaturationFaults(FaultPolicy policy, HeldRequests held, MeterRegistry registry) {
        this.policy = policy;
        this.held = held;
        Gauge.builder("example.fault.cpu.burn.cores", cpu, CpuBurn::cores)
                .description("Cores the CPU burn fault keeps busy now")
                .register(registry);
        Gauge.builder("example.fault.memory.held", memory, MemoryHold::heldBytes)
                .description("Native memory the memory growth fault holds now")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("example.fault.memory.target", policy, p -> p.settings().memoryTargetBytes())
                .description("Memory the memory growth fault grows towards (0: off)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("example.fault.hang.rate", policy, p -> p.settings().hangRate())
                .description("Share of /example requests the hang fault holds unanswered")
                .baseUnit("ratio")
                .register(registry);
        Gauge.builder("example.fault.reset.rate", policy, p -> p.settings().resetRate())
                .description("Share of /example connections the reset fault closes with a TCP reset")
                .baseUnit("ratio")
                .register(registry);
        Gauge.builder("example.fault.crash.remaining", crash, DeliberateCrash::remainingSeconds)
                .description("Time left until the deliberate crash; -1 when none is scheduled")
                .baseUnit("seconds")
                .register(registry);
        // What the saturation alerts compare: the resident memory against the limit that ends the process.
        Gauge.builder("process.resident.memory", SaturationFaults::residentBytes)
                .description("Resident memory of the process (VmRSS): what a container's memory limit counts")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("example.memory.limit", SaturationRules::memoryLimitBytes)
                .description("The memory the process may use: the container's limit, else the machine's memory")
                .baseUnit("bytes")
                .register(registry);
        follow(policy.state());
    }

    synchronized void follow(@Observes FaultState state) {
        FaultSettings settings = state.effective();
        cpu.burn(settings.cpuBurnCores());
        if (settings.memoryTargetBytes() == 0) {
            stopGrowth();
        } else if (growing == null) {
            growing = growth.scheduleAtFixedRate(this::grow, 0, GROWTH_PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        if (settings.hangRate() == 0) {
            held.releaseAll();
        }
        crash.schedule(settings.crashAfter(), settings.crashExitCode(), state.describeSource());
    }

    private void grow() {
        FaultSettings settings = policy.settings();
        long ceiling = settings.allowOomKill() ? Long.MAX_VALUE
                : (long) (SaturationRules.SAFE_SHARE_OF_LIMIT * SaturationRules.memoryLimitBytes());
        memory.grow(settings.memoryTargetBytes(), settings.memoryRateBytes() * GROWTH_PERIOD_MS / 1000, ceiling,
                SaturationFaults::residentBytes);
    }

    private synchronized void stopGrowth() {
        if (growing != null) {
            growing.cancel(false);
            growing = null;
        }
        growth.execute(memory::release); // after a growth step that may be running
    }

    /** The process's resident memory (VmRSS), what a container's memory limit counts. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc: only the target bounds the growth
        }
        return 0;
    }

    @PreDestroy
    synchronized void stop() {
        cpu.stop();
        crash.cancel();
        held.releaseAll();
        if (growing != null) {
            growing.cancel(false);
            growing = null;
        }
        growth.shutdownNow();
        memory.release();
    }
}
