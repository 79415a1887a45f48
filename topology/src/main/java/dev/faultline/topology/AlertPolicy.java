package dev.faultline.topology;

import dev.faultline.config.FaultlineConfig;
import dev.faultline.config.FaultlineKeys;

/** The spike-detection settings, in milliseconds, read once from config. */
record AlertPolicy(long windowMs, int minCount, double threshold, double alpha, long repeatMs, long holdDownMs,
        long idleMs, int maxSeries, int maxHosts, int maxSamples, int maxSampleChars) {

    static AlertPolicy from(FaultlineConfig c) {
        return new AlertPolicy(c.get(FaultlineKeys.ALERTS_WINDOW).toMillis(), c.get(FaultlineKeys.ALERTS_MIN_COUNT),
                c.get(FaultlineKeys.ALERTS_SCORE_THRESHOLD), c.get(FaultlineKeys.ALERTS_EWMA_ALPHA),
                c.get(FaultlineKeys.ALERTS_REPEAT_INTERVAL).toMillis(),
                c.get(FaultlineKeys.ALERTS_RESOLVE_HOLD_DOWN).toMillis(),
                c.get(FaultlineKeys.ALERTS_IDLE_EVICTION).toMillis(), c.get(FaultlineKeys.ALERTS_MAX_SERIES),
                c.get(FaultlineKeys.ALERTS_MAX_HOSTS), c.get(FaultlineKeys.ALERTS_MAX_SAMPLES),
                c.get(FaultlineKeys.AGGREGATES_MAX_SAMPLE_CHARS));
    }

    long bucket(long t) {
        return Math.floorDiv(t, windowMs) * windowMs;
    }

    /** Stream-time punctuation period: fine enough to resolve close to the hold-down, never below 1s. */
    long punctuateEveryMs() {
        return Math.max(1000, Math.min(windowMs, holdDownMs) / 4);
    }
}
