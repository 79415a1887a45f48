/**
 * Running the topology: {@link dev.faultline.app.FaultlineApp} builds {@code KafkaStreams} from
 * the typed config and the topology, installs the uncaught-exception handler, state listener and
 * shutdown hook, and offers start / await-running / close with deadlines.
 *
 * <p>Its builder also wires the operations side: meters through the topology, the ops server with
 * the query API ({@link dev.faultline.query.QueryApi}) and {@code application.server} set for
 * interactive-query routing, and alert delivery (sinks fed by the alert forwarder).
 *
 * <p>Depends on the config, topology, ops and query packages, the catalog library and Kafka
 * Streams. The CLI (and integration tests) depend on it; the topology and config never do.
 */
package dev.faultline.app;
