package dev.faultline.topology;

/**
 * A per-task partial of one series in one window of one size, as the combiner forwards it over the
 * aggregate repartition topic. {@code sizeMs == 0} means "every configured size": a single legacy
 * occurrence read from a repartition topic written before partials existed. {@code sizeMs ==}
 * {@value #WATERMARK} marks a combiner's watermark: no partial, but the newest event time its input
 * partition has reached (in {@code windowStart}), sent to every partition of the topic.
 */
final class PartialAggregate {
    /** The {@code sizeMs} of a watermark; no window size takes it ({@link #forSize}), so older readers skip it. */
    static final long WATERMARK = -1;

    long sizeMs;
    long windowStart;
    WindowAggregate agg;

    PartialAggregate() {
    }

    PartialAggregate(long sizeMs, long windowStart, WindowAggregate agg) {
        this.sizeMs = sizeMs;
        this.windowStart = windowStart;
        this.agg = agg;
    }

    /** A watermark: the sending task has seen event time up to {@code eventTime}. */
    static PartialAggregate watermark(long eventTime) {
        return new PartialAggregate(WATERMARK, eventTime, new WindowAggregate());
    }

    boolean isWatermark() {
        return sizeMs == WATERMARK;
    }

    /** Whether the windowed aggregate of {@code sizeMs} takes this partial. */
    boolean forSize(long size) {
        return sizeMs == 0 || sizeMs == size;
    }

    /** The record timestamp a partial travels with: its newest event, inside its window. */
    long timestamp() {
        return agg.lastSeen;
    }

    /** A legacy occurrence as a one-event partial for every size. */
    static PartialAggregate ofOccurrence(Occurrence o, int maxHosts) {
        return new PartialAggregate(0, 0, new WindowAggregate().add(o, maxHosts));
    }
}
