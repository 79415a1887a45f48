/**
 * The {@code faultline} command line (picocli): {@code scan} and {@code explain} work offline on
 * the catalog library; {@code run}, {@code demo} and {@code generate} drive Kafka. Commands only
 * wire configuration, handlers, metrics and shutdown; the work lives in the catalog library and
 * the topology package.
 *
 * <p>May depend on every other Faultline package; nothing depends on it.
 */
package dev.faultline.cli;
