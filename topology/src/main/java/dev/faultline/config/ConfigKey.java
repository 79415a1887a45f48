package dev.faultline.config;

import java.util.Objects;

/**
 * One configuration key, declared once: its dotted name, type, default, one line of documentation
 * and a validator. {@code defaultValue} may be {@code null} for optional keys without a default.
 *
 * @param <T> the typed value
 */
public record ConfigKey<T>(String name, ConfigType<T> type, T defaultValue, String doc, Validator<? super T> validator) {

    /** Checks a parsed value; returns {@code null} when valid, else a short reason. */
    @FunctionalInterface
    public interface Validator<T> {
        String check(T value);

        static <T> Validator<T> any() {
            return v -> null;
        }
    }

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(validator, "validator");
        if (defaultValue != null && validator.check(defaultValue) != null) {
            throw new IllegalArgumentException("default of " + name + " fails its own validator");
        }
    }
}
