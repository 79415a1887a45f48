/**
 * Faultline's configuration: one YAML file plus {@code FAULTLINE_*} environment overrides, read
 * into the immutable, typed {@link dev.faultline.config.FaultlineConfig}. Every key is declared
 * once in {@link dev.faultline.config.FaultlineKeys} (name, type, default, doc line, validator);
 * loading collects every problem instead of stopping at the first one. Keys under {@code kafka:}
 * pass through unchanged to the Kafka clients.
 *
 * <p>Depends on Jackson and on the catalog library's configuration records ({@code EnricherConfig},
 * {@code ParseConfig}, {@code ServiceBinding}); knows nothing of Kafka Streams operators. The
 * topology, the app and the CLI depend on it.
 */
package dev.faultline.config;
