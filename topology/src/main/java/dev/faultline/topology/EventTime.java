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
}
