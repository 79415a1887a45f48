package dev.faultline.topology;

import java.util.List;

/** What the enrich step forwards: a dead letter, or one parsed event with its projections. In-memory only. */
sealed interface Routed {

    /** The original value; key, headers and timestamp travel on the record. */
    record DeadLetter(byte[] value) implements Routed {
    }

    /**
     * One parsed event.
     *
     * @param json        {@code faultline.enriched/v1} bytes, or {@code null} when not emitted
     * @param occurrences code, class and service-total projections (and a tick when due)
     * @param progress    how far its input partition has progressed with it ({@link EventTime#progress}): its event
     *                    time, but no later than its record's time
     */
    record Event(byte[] json, List<Occurrence> occurrences, long progress) implements Routed {
    }
}
