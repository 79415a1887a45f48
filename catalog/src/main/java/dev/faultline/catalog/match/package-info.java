/**
 * The two-stage matcher. Stage one, the typed fast path, looks the values of known structured
 * fields up in O(1). Stage two, the string fallback, scans free text once, left to right, cutting
 * it into tokens with exact boundaries and looking each plausible token up without allocating;
 * there is no regex and no backtracking, so the cost is linear in the text. Both stages share one
 * {@link dev.faultline.catalog.match.CatalogIndex}; service scoping decides which catalog a shared
 * token belongs to, or marks it ambiguous.
 *
 * <p>Depends on the model and the event types; nothing here knows about Kafka or JSON output.
 */
package dev.faultline.catalog.match;
