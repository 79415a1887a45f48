package dev.faultline.catalog.model;

import java.util.Objects;

/**
 * Why an entry has the transience it has.
 *
 * @param source stated by the seed, resolved from a contradiction, or derived by a rule
 * @param basis  the quote, the reason, or the rule's explanation
 * @param rule   the rule's id when derived, else {@code null}
 */
public record TransienceBasis(TransienceSource source, String basis, String rule) {
    public TransienceBasis {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(basis, "basis");
    }

    public static TransienceBasis derived(TransienceRule rule) {
        return new TransienceBasis(TransienceSource.DERIVED, rule.why(), rule.id());
    }
}
