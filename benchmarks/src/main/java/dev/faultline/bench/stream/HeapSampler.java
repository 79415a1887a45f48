package dev.faultline.bench.stream;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Samples the heap every 100 ms on a daemon thread: the peak of used heap (live data plus garbage
 * not yet collected: depends on the collector's sizing as much as on the program) and the peak of
 * the heap left after the last collection (the sum of the heap pools' collection usage: the closer
 * proxy for the live set). {@link #liveAfterFullGc()} forces a collection and reads the used heap.
 */
final class HeapSampler implements AutoCloseable {
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakUsed;
    private volatile long peakAfterGc;

    HeapSampler() {
        thread = new Thread(this::loop, "bench-heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long afterGc = 0;
            for (MemoryPoolMXBean p : heapPools) {
                MemoryUsage u = p.getCollectionUsage();
                if (u != null) {
                    afterGc += u.getUsed();
                }
            }
            synchronized (this) {
                peakUsed = Math.max(peakUsed, used);
                peakAfterGc = Math.max(peakAfterGc, afterGc);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Starts a new phase: the peaks restart from the current values. */
    synchronized void reset() {
        peakUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        peakAfterGc = 0;
    }

    synchronized Peaks peaks() {
        return new Peaks(peakUsed, peakAfterGc);
    }

    /** Used heap right after a full collection (System.gc(), twice, as G1 may leave some for the next). */
    static long liveAfterFullGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long maxHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    /** Resident set size of this process (heap, metaspace, RocksDB, direct buffers …), or -1. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    record Peaks(long used, long afterGc) {
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
