package dev.faultline.topology;

/**
 * A per-task partial of one series in one window of one size, as the combiner forwards it over the
 * aggregate repartition topic. {@code sizeMs == 0} means "every configured size": a single legacy
 * occurrence read from a repartition topic written before partials existed.
 */
final class PartialAggregate {
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
