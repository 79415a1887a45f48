package dev.faultline.catalog.match;

import java.util.List;

/** Everything the matcher found in one event. */
public record MatchResult(List<ErrorMatch> errors, List<UnknownCode> unknownCodes) {
    public static final MatchResult EMPTY = new MatchResult(List.of(), List.of());

    public MatchResult {
        errors = List.copyOf(errors);
        unknownCodes = List.copyOf(unknownCodes);
    }

    public boolean isEmpty() {
        return errors.isEmpty() && unknownCodes.isEmpty();
    }
}
