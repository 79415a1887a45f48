package dev.faultline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final long MS = 1_000_000L;

    @Test
    void doublesFromTheMinimumUpToTheCap() {
        Backoff top = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.999999);
        assertThat(top.delayNanos(0)).isBetween(99 * MS, 100 * MS);
        assertThat(top.delayNanos(1)).isBetween(199 * MS, 200 * MS);
        assertThat(top.delayNanos(3)).isBetween(799 * MS, 800 * MS);
        assertThat(top.delayNanos(5)).isBetween(1999 * MS, 2000 * MS);
        assertThat(top.delayNanos(10_000)).isBetween(1999 * MS, 2000 * MS);
    }

    @Test
    void jitterSpreadsEachDelayOverTheUpperHalfAndIsNeverZero() {
        Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> 0.0);
        assertThat(low.delayNanos(0)).isEqualTo(50 * MS);
        assertThat(low.delayNanos(2)).isEqualTo(200 * MS);
        assertThat(low.delayNanos(64)).isEqualTo(1000 * MS);
        Backoff tiny = new Backoff(Duration.ofNanos(1), Duration.ofNanos(1), () -> 0.0);
        assertThat(tiny.delayNanos(0)).isEqualTo(1);
    }

    @Test
    void aBrokenRandomSourceFallsBackToTheLowerBound() {
        Backoff nan = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), () -> Double.NaN);
        assertThat(nan.delayNanos(0)).isEqualTo(50 * MS);
    }
}
