package dev.faultline.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * Spike-detection state of one series (one fingerprint): the count in the current window, an EWMA
 * baseline and variance of completed windows, and the alert lifecycle. Pure logic on record and
 * stream time; bounded (hosts and samples capped).
 */
final class AlertState {
    enum Notice { NONE, FIRING, REMINDER, RESOLVED, EVICT }

    /** Gaps longer than this many empty windows decay the baseline no further (0.7^64 is ~0). */
    private static final int MAX_EMPTY_FOLDS = 64;

    String kind;
    String svc;
    String catalog;
    String code;
    String cls;
    String tr;
    long bucketStart;
    long count;
    long history;
    double baseline;
    double variance;
    boolean firing;
    long episodeStart = -1;
    long lastNotified = -1;
    long normalSince = -1;
    long lastSeen;
    double lastScore;
    LinkedHashMap<String, Long> hosts = new LinkedHashMap<>();
    ArrayList<String> samples = new ArrayList<>();

    AlertState() {
    }

    static AlertState start(Occurrence o, long bucketStart) {
        AlertState s = new AlertState();
        s.kind = o.kind;
        s.svc = o.svc;
        s.catalog = o.catalog;
        s.code = o.code;
        s.cls = o.cls;
        s.tr = o.tr;
        s.bucketStart = bucketStart;
        s.lastSeen = o.t;
        return s;
    }

    /** Infinite without history: a series seen for the first time fires on the minimum count alone. */
    double score(long c) {
        return history == 0 ? Double.POSITIVE_INFINITY : (c - baseline) / Math.max(Math.sqrt(variance), 1.0);
    }

    boolean anomalous(long c, AlertPolicy p) {
        return c >= p.minCount() && score(c) >= p.threshold();
    }

    /** Counts one occurrence at {@code t} (in the current window or a later one) and says what to notify. */
    Notice onOccurrence(Occurrence o, long t, AlertPolicy p) {
        long b = p.bucket(t);
        lastSeen = Math.max(lastSeen, t);
        if (b < bucketStart) {
            return Notice.NONE; // late for detection: that window is already judged (aggregates still count it)
        }
        rollTo(b, p);
        count++;
        tr = o.tr;
        remember(o, p);
        if (!anomalous(count, p)) {
            return Notice.NONE;
        }
        lastScore = score(count);
        normalSince = -1;
        if (!firing) {
            firing = true;
            episodeStart = t;
            lastNotified = t;
            return Notice.FIRING;
        }
        if (t - lastNotified >= p.repeatMs()) {
            lastNotified = t;
            return Notice.REMINDER;
        }
        return Notice.NONE;
    }

    /** Driven by stream time: closes finished windows, resolves after the hold-down, evicts idle series. */
    Notice onStreamTime(long streamTime, AlertPolicy p) {
        if (firing) {
            rollTo(p.bucket(streamTime), p);
            if (normalSince >= 0 && streamTime - normalSince >= p.holdDownMs()) {
                firing = false;
                return Notice.RESOLVED;
            }
            return Notice.NONE;
        }
        return streamTime - lastSeen >= p.idleMs() ? Notice.EVICT : Notice.NONE;
    }

    private void rollTo(long newStart, AlertPolicy p) {
        if (newStart <= bucketStart) {
            return;
        }
        close(bucketStart, count, p);
        long next = bucketStart + p.windowMs();
        for (int i = 0; next < newStart && i < MAX_EMPTY_FOLDS; i++, next += p.windowMs()) {
            close(next, 0, p);
        }
        bucketStart = newStart;
        count = 0;
        hosts.clear();
        samples.clear();
    }

    /**
     * Judges a finished window. While firing the baseline is frozen, so a sustained spike never
     * becomes its own baseline; normality starts counting at the first normal window.
     */
    private void close(long start, long c, AlertPolicy p) {
        if (firing) {
            if (anomalous(c, p)) {
                normalSince = -1;
            } else if (normalSince < 0) {
                normalSince = start;
            }
            return;
        }
        if (history == 0) {
            baseline = c;
            variance = 0;
        } else {
            double diff = c - baseline;
            double incr = p.alpha() * diff;
            baseline += incr;
            variance = (1 - p.alpha()) * (variance + diff * incr);
        }
        history++;
    }

    private void remember(Occurrence o, AlertPolicy p) {
        if (o.host != null) {
            Long n = hosts.get(o.host);
            if (n != null) {
                hosts.put(o.host, n + 1);
            } else if (hosts.size() < Math.max(8, p.maxHosts() * 4)) {
                hosts.put(o.host, 1L);
            }
        }
        if (o.msg != null && samples.size() < p.maxSamples() && !samples.contains(o.msg)) {
            samples.add(Text.truncate(o.msg, p.maxSampleChars()));
        }
    }
}
