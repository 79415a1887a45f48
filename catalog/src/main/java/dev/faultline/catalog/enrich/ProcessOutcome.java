package dev.faultline.catalog.enrich;

import dev.faultline.catalog.event.UnreadableReason;
import java.util.List;
import java.util.Objects;

/** What became of one record: its enriched events (with or without findings), or why it is unreadable. */
public sealed interface ProcessOutcome {

    record Enriched(List<EnrichedEvent> events) implements ProcessOutcome {
        public Enriched {
            events = List.copyOf(events);
        }
    }

    record Unreadable(UnreadableReason reason, String detail) implements ProcessOutcome {
        public Unreadable {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
