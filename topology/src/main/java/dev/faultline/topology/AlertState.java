package dev.faultline.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.TreeMap;

/**
 * Spike-detection state of one series (one fingerprint): the count in the window being judged, the counts of later
 * windows, an EWMA baseline and variance of judged windows, and the alert lifecycle. Pure logic on record and
 * stream time; bounded (hosts, samples and later windows capped).
 *
 * <p>A window is judged (folded into the baseline, or, while firing, counted as normal or not) only once the
 * slowest input partition's time has passed it. One partition running ahead in a backlog must not have another
 * partition's still-spiking windows judged empty: the alert would resolve, and fire again as a new episode when
 * that partition caught up. Occurrences in windows after the one being judged are counted in their own window
 * meanwhile, and each still fires as soon as its window's count is anomalous.
 */
final class AlertState {
    enum Notice { NONE, FIRING, REMINDER, RESOLVED, EVICT }

    /** Gaps longer than this many empty windows decay the baseline no further (0.7^64 is ~0). */
    private static final int MAX_EMPTY_FOLDS = 64;
    /**
     * How many windows past the one being judged are counted on their own. An occurrence further ahead than this
     * has the windows before its range judged at once, slowest partition or not: the bound on {@link #ahead}.
     */
    static final int MAX_AHEAD_WINDOWS = 64;

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
    /** Counts of windows after {@link #bucketStart}, by window start, not judged yet. */
    TreeMap<Long, Long> ahead = new TreeMap<>();

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

    /**
     * The window a new series starts judging from, for its first occurrence at {@code t}: that occurrence's own,
     * unless it comes from a partition more than a window ahead of the slowest one ({@code judgedTo}, as in
     * {@link #onOccurrence}; a backlog); then the slowest partition's, within the windows counted ahead, so the
     * occurrences the lagging partitions still have for the windows in between count, and can fire.
     */
    static long firstWindow(long t, long judgedTo, AlertPolicy p) {
        long own = p.bucket(t);
        if (judgedTo == Long.MIN_VALUE || own - p.bucket(judgedTo) <= p.windowMs()) {
            return own; // live, the slowest time trails by a tick at most
        }
        return Math.max(p.bucket(judgedTo), oldestAhead(own, p));
    }

    /** The oldest window still counted on its own when an occurrence falls in window {@code b}. */
    private static long oldestAhead(long b, AlertPolicy p) {
        return b - MAX_AHEAD_WINDOWS * p.windowMs();
    }

    /** Infinite without history: a series seen for the first time fires on the minimum count alone. */
    double score(long c) {
        return history == 0 ? Double.POSITIVE_INFINITY : (c - baseline) / Math.max(Math.sqrt(variance), 1.0);
    }

    boolean anomalous(long c, AlertPolicy p) {
        return c >= p.minCount() && score(c) >= p.threshold();
    }

    /**
     * Counts one occurrence at {@code t} (in the window being judged or a later one) and says what to notify.
     *
     * @param judgedTo the slowest input partition's time: windows before its window are judged first; with
     *                 {@code Long.MIN_VALUE} (not known yet) every window before the occurrence's is
     */
    Notice onOccurrence(Occurrence o, long t, long judgedTo, AlertPolicy p) {
        long b = p.bucket(t);
        lastSeen = Math.max(lastSeen, t);
        if (b < bucketStart) {
            return Notice.NONE; // late for detection: that window is already judged (aggregates still count it)
        }
        long judge = judgedTo == Long.MIN_VALUE ? b : Math.min(b, p.bucket(judgedTo));
        // Bounded: the windows before the range of MAX_AHEAD_WINDOWS ending at b are judged now.
        rollTo(Math.max(judge, oldestAhead(b, p)), p);
        long c;
        if (b == bucketStart) {
            c = ++count;
        } else {
            c = ahead.merge(b, 1L, Long::sum);
        }
        tr = o.tr;
        remember(o, p);
        if (!anomalous(c, p)) {
            return Notice.NONE;
        }
        lastScore = score(c);
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

    /**
     * Driven by stream time: closes finished windows, resolves after the hold-down, evicts idle series. Reminders
     * come only with occurrences ({@link #onOccurrence}): one sent on stream time would describe whatever window that
     * time is in (an empty one in the hold-down), and in a catch-up would replay every old episode's reminders.
     * The receivers' firing TTL is validated against the longest gap that leaves.
     */
    Notice onStreamTime(long streamTime, AlertPolicy p) {
        if (firing) {
            rollTo(p.bucket(streamTime), p);
            if (normalSince >= 0 && streamTime - normalSince >= p.holdDownMs() && !holdsAnomalousWindow(p)) {
                firing = false;
                return Notice.RESOLVED;
            }
            return Notice.NONE;
        }
        return streamTime - lastSeen >= p.idleMs() ? Notice.EVICT : Notice.NONE;
    }

    /** Whether a window not judged yet (the current one or one ahead) already counts as a spike. */
    private boolean holdsAnomalousWindow(AlertPolicy p) {
        if (anomalous(count, p)) {
            return true;
        }
        for (long c : ahead.values()) {
            if (anomalous(c, p)) {
                return true;
            }
        }
        return false;
    }

    /** The start of the window {@code t} is counted in: its own, or the one being judged for an earlier time. */
    long windowOf(long t, AlertPolicy p) {
        return Math.max(bucketStart, p.bucket(t));
    }

    /** The count of the window starting at {@code windowStart}, judged or ahead. */
    long countIn(long windowStart) {
        return windowStart == bucketStart ? count : ahead.getOrDefault(windowStart, 0L);
    }

    private void rollTo(long newStart, AlertPolicy p) {
        if (newStart <= bucketStart) {
            return;
        }
        close(bucketStart, count, p);
        long next = bucketStart + p.windowMs();
        for (int i = 0; next < newStart && i < MAX_EMPTY_FOLDS; i++, next += p.windowMs()) {
            Long c = ahead.remove(next);
            close(next, c == null ? 0 : c, p);
        }
        ahead.headMap(newStart).clear(); // past the folds that still move the baseline
        bucketStart = newStart;
        Long c = ahead.remove(newStart);
        count = c == null ? 0 : c;
        hosts.clear();
        samples.clear();
    }

    /**
     * Judges a finished window. While firing the baseline is frozen, so a sustained spike never
     * becomes its own baseline; normality starts counting at the first normal window of the episode. A window
     * before the episode's (judged late because the episode fired from a window ahead, in a backlog or at a
     * window boundary) says nothing about whether the episode is over.
     */
    private void close(long start, long c, AlertPolicy p) {
        if (firing) {
            if (start < p.bucket(episodeStart)) {
                return;
            }
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
