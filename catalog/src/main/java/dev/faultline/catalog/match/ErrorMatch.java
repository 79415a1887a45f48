package dev.faultline.catalog.match;

import dev.faultline.catalog.model.CatalogEntry;
import java.util.List;
import java.util.Objects;

/**
 * One error code found in one event.
 *
 * @param entry      the resolved entry, or {@code null} when the match is ambiguous
 * @param candidates every candidate entry when ambiguous (sorted by catalog, then code), else empty
 * @param matched    the text as found in the event
 * @param stage      typed or fallback
 * @param field      the dotted path of the field it was found in ({@code line} for plain text)
 */
public record ErrorMatch(CatalogEntry entry, List<CatalogEntry> candidates, String matched, MatchStage stage,
        String field) {
    public ErrorMatch {
        candidates = List.copyOf(candidates);
        Objects.requireNonNull(matched, "matched");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(field, "field");
        if ((entry == null) == candidates.isEmpty()) {
            throw new IllegalArgumentException("a match has an entry or candidates, not both");
        }
    }

    public boolean ambiguous() {
        return entry == null;
    }
}
