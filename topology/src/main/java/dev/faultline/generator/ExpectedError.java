package dev.faultline.generator;

import java.util.Objects;

/**
 * One error event the generator wrote on purpose: the catalog entry Faultline should find in it.
 *
 * @param catalog catalog id
 * @param code    canonical code of the entry
 * @param service the service the event names, or {@code null} when it names none a reader could find
 *                (plain text lines: only syslog headers carry a service)
 */
public record ExpectedError(String catalog, String code, String service) {
    public ExpectedError {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(code, "code");
    }

    /** {@code catalog:code}. */
    public String key() {
        return catalog + ":" + code;
    }
}
