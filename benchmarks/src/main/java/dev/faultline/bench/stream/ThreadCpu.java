package dev.faultline.bench.stream;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/** CPU time of live threads whose name contains a fragment (a Kafka Streams client id), and of the process. */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /** Thread name → CPU nanoseconds, for the live threads whose name contains {@code fragment}. */
    static Map<String, Long> byName(String fragment) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(fragment)) {
                long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    out.merge(info.getThreadName(), cpu, Long::sum);
                }
            }
        }
        return out;
    }

    /** CPU nanoseconds of the whole process (broker, clients, harness, GC, JIT), or -1. */
    static long process() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }
}
