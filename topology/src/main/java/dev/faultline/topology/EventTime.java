package dev.faultline.topology;

import java.time.Duration;

/**
 * Chooses an event's time: the log's own timestamp, unless it is missing or absurd relative to the
 * Kafka record's timestamp (a host with a wrong clock, a replayed archive); then the record time.
 */
record EventTime(long maxFutureSkewMs, long maxPastAgeMs) {
    static EventTime of(Duration maxFutureSkew, Duration maxPastAge) {
        return new EventTime(maxFutureSkew.toMillis(), maxPastAge.toMillis());
    }

    long choose(Long logTime, long recordTime) {
        if (logTime == null || logTime < 0) {
            return recordTime; // no usable log time (Kafka rejects negative timestamps)
        }
        if (recordTime < 0) {
            return logTime;
        }
        if (logTime > recordTime + maxFutureSkewMs || logTime < recordTime - maxPastAgeMs) {
            return recordTime;
        }
        return logTime;
    }

    /**
     * How far a partition has progressed, for the ticks the alert tasks judge windows on: the event's time
     * {@code t}, but no later than the record's own time. The log's time is its host's clock; one host running
     * minutes fast (within the future skew allowed) would otherwise move every alert series' judged time past the
     * occurrences of the other hosts, which then count as late, and resolve a spike that is still going on.
     */
    static long progress(long t, long recordTime) {
        return recordTime < 0 ? t : Math.min(t, recordTime);
    }
}
