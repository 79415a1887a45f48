package dev.faultline.topology;

import java.time.Duration;

/**
 * Tells a stall of a task's own thread (a long GC pause, a rebalance, a frozen VM) from a quiet input. While the
 * thread stands still nothing can be read, so that time says nothing about whether the input was idle: idleness
 * may only count from {@link #since()}. The owner calls {@link #ran} on every record and punctuation. Time is
 * passed in (Kafka Streams' {@code currentSystemTimeMs()}).
 */
final class StallWatch {
    private final long stallMs;
    private long ranAt;
    private long since;

    /** A gap of more than a quarter of {@code idleTimeout} (at least 1 s) between two runs is a stall. */
    StallWatch(Duration idleTimeout) {
        this.stallMs = Math.max(1000, idleTimeout.toMillis() / 4);
    }

    void start(long now) {
        ranAt = now;
        since = now;
    }

    /** The thread runs at {@code now}. @return how long it had stood still, or 0 when that was no stall */
    long ran(long now) {
        long gap = now - ranAt;
        ranAt = now;
        if (gap > stallMs) {
            since = now;
            return gap;
        }
        return 0;
    }

    /** Since when the thread has run without a stall. */
    long since() {
        return since;
    }
}
