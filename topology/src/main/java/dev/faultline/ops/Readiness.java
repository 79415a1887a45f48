package dev.faultline.ops;

import java.util.Objects;

/**
 * The answer of a readiness (or liveness) check.
 *
 * @param ready  whether the process should receive traffic / be considered healthy
 * @param reason a short, fixed explanation when not ready (e.g. {@code "kafka streams REBALANCING"});
 *               never configuration, never text from logs
 */
public record Readiness(boolean ready, String reason) {
    private static final Readiness READY = new Readiness(true, "");

    public Readiness {
        Objects.requireNonNull(reason, "reason");
    }

    public static Readiness up() {
        return READY;
    }

    public static Readiness down(String reason) {
        return new Readiness(false, SafeText.escape(reason, 200));
    }
}
