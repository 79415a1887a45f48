package dev.faultline.generator;

import java.time.Duration;
import java.util.Objects;

/**
 * What the generator produces and how fast. Immutable.
 *
 * @param topic        destination topic
 * @param ratePerSecond normal records per second (a spike adds to it)
 * @param errorRatio   share of normal events that carry an error code, 0..1
 * @param badRatio     share of records that are deliberately unreadable (poison pills), 0..1
 * @param spike        the burst of one transient code, or {@code null} for none
 */
public record GeneratorProfile(String topic, double ratePerSecond, double errorRatio, double badRatio, Spike spike) {
    public static final String DEFAULT_TOPIC = "logs";

    public GeneratorProfile {
        Objects.requireNonNull(topic, "topic");
        if (!(ratePerSecond >= 0) || ratePerSecond > 1_000_000) {
            throw new IllegalArgumentException("ratePerSecond must be in 0..1000000, was " + ratePerSecond);
        }
        if (!(errorRatio >= 0 && errorRatio <= 1) || !(badRatio >= 0 && badRatio <= 1)) {
            throw new IllegalArgumentException("errorRatio and badRatio must be in 0..1");
        }
    }

    /** 50 records/s into {@code logs}, 10% errors, no bad records, the default spike. */
    public static GeneratorProfile defaults() {
        return new GeneratorProfile(DEFAULT_TOPIC, 50, 0.10, 0.0, Spike.defaults());
    }

    public GeneratorProfile withTopic(String t) {
        return new GeneratorProfile(t, ratePerSecond, errorRatio, badRatio, spike);
    }

    public GeneratorProfile withRate(double r) {
        return new GeneratorProfile(topic, r, errorRatio, badRatio, spike);
    }

    public GeneratorProfile withErrorRatio(double r) {
        return new GeneratorProfile(topic, ratePerSecond, r, badRatio, spike);
    }

    public GeneratorProfile withBadRatio(double r) {
        return new GeneratorProfile(topic, ratePerSecond, errorRatio, r, spike);
    }

    public GeneratorProfile withSpike(Spike s) {
        return new GeneratorProfile(topic, ratePerSecond, errorRatio, badRatio, s);
    }

    /**
     * A burst of one code from one service: from {@code after} (since the loop started) for
     * {@code duration}, at {@code ratePerSecond} on top of the normal traffic.
     */
    public record Spike(Duration after, Duration duration, double ratePerSecond, String catalog, String code,
            String service) {
        public Spike {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(catalog, "catalog");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(service, "service");
            if (after.isNegative() || duration.isNegative() || !(ratePerSecond > 0)) {
                throw new IllegalArgumentException("spike needs after >= 0, duration >= 0 and a positive rate");
            }
        }

        /** foundry-mcp RATE_LIMIT_EXCEEDED (transient) at 40/s for 60 s, starting 60 s in. */
        public static Spike defaults() {
            return new Spike(Duration.ofSeconds(60), Duration.ofSeconds(60), 40, "foundry-mcp", "RATE_LIMIT_EXCEEDED",
                    "foundry-mcp");
        }

        public Spike withTiming(Duration newAfter, Duration newDuration) {
            return new Spike(newAfter, newDuration, ratePerSecond, catalog, code, service);
        }

        public Spike withRate(double r) {
            return new Spike(after, duration, r, catalog, code, service);
        }

        /** Whether the burst is on at this time since the start. */
        public boolean active(Duration sinceStart) {
            return sinceStart.compareTo(after) >= 0 && sinceStart.compareTo(after.plus(duration)) < 0;
        }

        /** Spike time elapsed at this time since the start: 0 before, {@code duration} after. */
        public Duration elapsed(Duration sinceStart) {
            if (sinceStart.compareTo(after) <= 0) {
                return Duration.ZERO;
            }
            Duration in = sinceStart.minus(after);
            return in.compareTo(duration) > 0 ? duration : in;
        }
    }
}
