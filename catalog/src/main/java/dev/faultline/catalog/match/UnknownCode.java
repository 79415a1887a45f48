package dev.faultline.catalog.match;

/**
 * A value in a typed code field that no loaded catalog holds: how users learn what their catalogs miss.
 *
 * @param catalog  the catalog whose {@linkplain dev.faultline.catalog.model.CodeFamily code family} the value has
 *                 the form of ({@code E2999}: nefia), or {@code null} when none, or several equally specific, do
 * @param category that family's category ({@code SSH}), or {@code null}
 */
public record UnknownCode(String field, String value, String catalog, String category) {
    public UnknownCode(String field, String value) {
        this(field, value, null, null);
    }
}
