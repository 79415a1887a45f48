package dev.faultline.catalog.model;

import java.util.Locale;
import java.util.Optional;

/**
 * The normalized cross-catalog class: one small fixed vocabulary, so that errors from different
 * systems can be aggregated together. Adding a value is a compatible change; renaming one is not.
 */
public enum ErrorClass {
    VALIDATION,
    AUTHENTICATION,
    AUTHORIZATION,
    NOT_FOUND,
    CONFLICT,
    PRECONDITION,
    RATE_LIMIT,
    QUOTA,
    TIMEOUT,
    UNAVAILABLE,
    CANCELLED,
    UNSUPPORTED,
    PROTOCOL,
    DEPENDENCY,
    INTERNAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ErrorClass> fromWire(String text) {
        for (ErrorClass c : values()) {
            if (c.wire().equals(text)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
