package dev.faultline.ops;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": attempt {@code n} (from 0) waits between half and all of
 * {@code min(max, min * 2^n)}. Never zero (no hot retry loop), never above the cap, and spread out
 * so that many Faultline instances do not retry against a recovering Alertmanager in lock-step.
 */
final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private final DoubleSupplier random;

    Backoff(Duration min, Duration max, DoubleSupplier random) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.random = Objects.requireNonNull(random, "random");
        if (minNanos <= 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("need 0 < min <= max");
        }
    }

    /** The delay before retry number {@code attempt} (0-based). */
    long delayNanos(int attempt) {
        long ceiling = maxNanos;
        if (attempt < 62) {
            long exp = minNanos << Math.min(attempt, 62);
            if (exp > 0 && (exp >> Math.min(attempt, 62)) == minNanos) { // no overflow
                ceiling = Math.min(maxNanos, exp);
            }
        }
        long half = ceiling / 2;
        double r = random.getAsDouble();
        if (!(r >= 0.0 && r < 1.0)) {
            r = 0.0;
        }
        return Math.max(1, half + (long) ((ceiling - half) * r));
    }
}
