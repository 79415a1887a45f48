package dev.faultline.catalog.match;

import java.util.Locale;

/** Which stage of the matcher found a code. */
public enum MatchStage {
    /** The typed fast path: a known structured field, looked up in O(1). */
    TYPED,
    /** The string fallback: a token in free text. */
    FALLBACK;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
