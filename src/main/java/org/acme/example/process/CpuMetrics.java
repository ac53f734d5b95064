package org.acme.example.process;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import jakarta.inject.Singleton;

/**
 * The meters of Micrometer's system binder ({@code quarkus.micrometer.binder.system}, off in application.properties),
 * with the same names and descriptions, but a {@code process_cpu_usage} that costs a system call instead of a third
 * of a scrape.
 * <p>
 * Micrometer reads it from the JDK's {@code getProcessCpuLoad()}, which in a container first reads the cgroup's CPU
 * quota, shares and cpuset from their files, at every call, to find how many CPUs the process may use: the JVM
 * already knows ({@link Runtime#availableProcessors()}). Together with {@code system_cpu_usage} (whose cgroup reads
 * are the measure itself, so it stays the JDK's) that was 30 % of a scrape's CPU time in a profile. Uptime and file
 * descriptors are Micrometer's own binders.
 */
@Singleton
public class CpuMetrics implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);

        Runtime runtime = Runtime.getRuntime();
        Gauge.builder("system.cpu.count", runtime, Runtime::availableProcessors)
                .description("The number of processors available to the Java virtual machine")
                .register(registry);
        OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
        if (system.getSystemLoadAverage() >= 0) {
            Gauge.builder("system.load.average.1m", system, OperatingSystemMXBean::getSystemLoadAverage)
                    .description("The sum of the number of runnable entities queued to available processors and the"
                            + " number of runnable entities running on the available processors averaged over a"
                            + " period of time")
                    .register(registry);
        }
        if (system instanceof com.sun.management.OperatingSystemMXBean os && os.getProcessCpuTime() >= 0) {
            FunctionCounter.builder("process.cpu.time", os, com.sun.management.OperatingSystemMXBean::getProcessCpuTime)
                    .description("The \"cpu time\" used by the Java Virtual Machine process")
                    .baseUnit("ns")
                    .register(registry);
            long startNanos = System.nanoTime()
                    - TimeUnit.MILLISECONDS.toNanos(ManagementFactory.getRuntimeMXBean().getUptime());
            CpuUsage process = new CpuUsage(os::getProcessCpuTime, System::nanoTime, startNanos,
                    runtime::availableProcessors);
            Gauge.builder("process.cpu.usage", process, CpuUsage::read)
                    .description("The \"recent cpu usage\" for the Java Virtual Machine process")
                    .strongReference(true) // nothing else holds it: a gauge's state is weakly held by default
                    .register(registry);
            Gauge.builder("system.cpu.usage", os, com.sun.management.OperatingSystemMXBean::getCpuLoad)
                    .description("The \"recent cpu usage\" of the system the application is running in")
                    .register(registry);
        }
    }
}
