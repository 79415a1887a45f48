package dev.faultline.catalog.event;

import java.util.List;
import java.util.Objects;

/** The outcome of parsing one record: its events, or why it cannot be read. */
public sealed interface ParseResult {

    /** A readable record: zero events (a blank line), one, or many (an OTLP batch). */
    record Events(List<LogEvent> events) implements ParseResult {
        public Events {
            events = List.copyOf(events);
        }
    }

    /** An unreadable record. {@code detail} is a short human diagnostic and never contains raw record bytes. */
    record Unreadable(UnreadableReason reason, String detail) implements ParseResult {
        public Unreadable {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
