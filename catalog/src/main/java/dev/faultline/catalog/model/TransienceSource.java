package dev.faultline.catalog.model;

import java.util.Locale;
import java.util.Optional;

/** Where an entry's transience comes from. */
public enum TransienceSource {
    /** The source document says so, for the code or for its type. */
    STATED,
    /** The source document contradicts itself; the catalog records which statement won and why. */
    RESOLVED,
    /** Not stated anywhere: derived from the class by a {@link TransienceRule}. */
    DERIVED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TransienceSource> fromWire(String text) {
        for (TransienceSource s : values()) {
            if (s.wire().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
