/**
 * Enrichment: one record in, enriched events out. {@link dev.faultline.catalog.enrich.Enricher}
 * is the single code path shared by {@code faultline scan} and the Kafka Streams topology: parse,
 * match, attach the catalog's facts, and write {@code faultline.enriched/v1} JSON.
 *
 * <p>Depends on the model, the event parser and the matcher; nothing in the catalog library
 * depends on it. Kafka-free by design.
 */
package dev.faultline.catalog.enrich;
