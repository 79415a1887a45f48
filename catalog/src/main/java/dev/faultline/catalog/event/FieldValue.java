package dev.faultline.catalog.event;

import java.util.Objects;

/**
 * A value found in an event.
 *
 * @param field   the dotted path it was found at, e.g. {@code response.error.code}
 * @param value   the value as text (numbers in their JSON/decimal form)
 * @param numeric whether the value is a number: a JSON number, or a string that reads as one ({@code "-32003"},
 *                {@code " -32003.0"}); in an RPC field an integral one is an RPC code, elsewhere no code at all
 * @param spec    for typed code values: the {@link TypedField} that selected it; {@code null} for text
 */
public record FieldValue(String field, String value, boolean numeric, TypedField spec) {
    public FieldValue {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
    }

    public static FieldValue text(String field, String value) {
        return new FieldValue(field, value, false, null);
    }
}
