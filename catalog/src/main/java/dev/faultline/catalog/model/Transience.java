package dev.faultline.catalog.model;

import java.util.Locale;
import java.util.Optional;

/** Whether retrying the same operation can succeed. */
public enum Transience {
    /** Retrying after a delay is expected to succeed. */
    TRANSIENT,
    /** Retrying the same request will fail the same way; something has to change first. */
    PERMANENT,
    /** Depends on state the error does not carry (a conflict, an internal error). */
    CONDITIONAL;

    /** The lower-case form used in catalog files and on the wire. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Transience> fromWire(String text) {
        for (Transience t : values()) {
            if (t.wire().equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
