package dev.faultline.catalog.enrich;

import dev.faultline.catalog.event.LogEvent;
import dev.faultline.catalog.match.ErrorMatch;
import dev.faultline.catalog.match.UnknownCode;
import java.util.List;
import java.util.Objects;

/**
 * One event with what the matcher found in it: the in-memory form of {@code faultline.enriched/v1}
 * ({@link EnrichedEventJson} writes it).
 *
 * @param event          the parsed event
 * @param source         where it was read from
 * @param errors         the codes found, in finding order
 * @param unknownCodes   typed code values no catalog holds
 * @param catalogVersion the version stamp of the catalogs it was enriched with
 */
public record EnrichedEvent(LogEvent event, SourceRef source, List<ErrorMatch> errors, List<UnknownCode> unknownCodes,
        String catalogVersion) {
    public static final String SCHEMA = "faultline.enriched/v1";

    public EnrichedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(source, "source");
        errors = List.copyOf(errors);
        unknownCodes = List.copyOf(unknownCodes);
    }

    /** Whether the event carries at least one error or unknown code. */
    public boolean hasFindings() {
        return !errors.isEmpty() || !unknownCodes.isEmpty();
    }
}
